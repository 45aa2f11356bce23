/**
 * The anomaly feature function's batch handler behind the real FDK (`@fnproject/fdk`, http-stream
 * on FN_LISTENER's unix socket), over the recording database model: what the Functions service
 * runs, minus the database connection (Vault credentials and the pool come with the deployment).
 */
import fdk from "@fnproject/fdk";
import { handleBatch } from "../../../functions/oci/anomaly/batch";
import { anomalyStore } from "../../../functions/oci/anomaly/store";
import { FakeAnomalyDb } from "./fakeAnomalyDb";

const db = new FakeAnomalyDb();
fdk.handle((input: unknown) => handleBatch(input, anomalyStore(db)), { inputMode: "json" });
