import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { Uint8ArrayBlobAdapter } from "@smithy/core/serde";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { FeatureCache, processBatch } from "../../functions/aws/features/batch";
import { awsDeps } from "../../functions/aws/inference/awsDeps";
import { handleRequest } from "../../functions/aws/inference/inference";
import { kinesisRecord } from "./support/kinesis";
import { createFeatureTable, LocalDynamo, startDynalite } from "./support/dynalite";

const sagemaker = mockClient(SageMakerRuntimeClient);
const T0 = Date.parse("2026-11-28T10:00:00.000Z");

describe("inference handler (DynamoDB on dynalite, SageMaker runtime mocked)", () => {
  let dynamo: LocalDynamo;
  const table = "features-inference";
  const deps = () => ({ ...awsDeps(dynamo.client, new SageMakerRuntimeClient({ region: "eu-west-1" }), table, "feature-model", 200), now: () => T0 + 90_000 });

  before(async () => {
    dynamo = await startDynalite();
    await createFeatureTable(dynamo.client, table);
    const events = [0, 60_000].map((dt) => kinesisRecord({ userId: "ana", eventType: "cart", timestamp: new Date(T0 + dt).toISOString() }));
    await processBatch(events, { ddb: dynamo.client, table, cache: new FeatureCache(), log: { warn: () => undefined, error: () => undefined }, allowedLatenessMs: 15 * 60_000 });
  });
  after(async () => dynamo.stop());
  beforeEach(() => sagemaker.reset());

  it("answers with the user's features and the model's prediction, sending the model exactly those features", async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: Uint8ArrayBlobAdapter.fromString(JSON.stringify({ score: 0.87 })) });
    const res = await handleRequest(JSON.stringify({ userId: "ana", input: { basketValue: 42 } }), deps());
    const features = { lastEventType: "cart", recentEventCount: 2, secondsSinceLastEvent: 30 };
    expect(res).to.deep.equal({ statusCode: 200, body: { userId: "ana", features, prediction: { score: 0.87 } } });
    const sent = sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input;
    expect(sent).to.deep.include({ EndpointName: "feature-model", ContentType: "application/json" });
    expect(JSON.parse(Buffer.from(sent.Body as Uint8Array).toString("utf8"))).to.deep.equal({ userId: "ana", features, input: { basketValue: 42 } });
  });

  it("rejects bad input with 400 and a message naming the field, without calling anything", async () => {
    expect(await handleRequest("{oops", deps())).to.deep.equal({ statusCode: 400, body: { error: 'body must be JSON: {"userId": "...", "input": {...}}' } });
    const missing = await handleRequest(JSON.stringify({ input: {} }), deps());
    expect(missing.statusCode).to.equal(400);
    expect((missing.body.details as string[])[0]).to.match(/^userId: /);
    const extra = await handleRequest(JSON.stringify({ userId: "ana", admin: true }), deps());
    expect(extra.statusCode).to.equal(400);
    expect(sagemaker.commandCalls(InvokeEndpointCommand)).to.have.length(0);
  });

  it("gives a user with no features a defined 404, not a crash, and does not call the model", async () => {
    const res = await handleRequest(JSON.stringify({ userId: "nobody" }), deps());
    expect(res).to.deep.equal({ statusCode: 404, body: { userId: "nobody", error: "no features for user nobody yet; they appear after the user's first event" } });
    expect(sagemaker.commandCalls(InvokeEndpointCommand)).to.have.length(0);
  });

  it("maps a model error to 502 and a model that does not answer in time to 504", async () => {
    sagemaker.on(InvokeEndpointCommand).rejects(Object.assign(new Error("boom"), { name: "ModelError" }));
    expect((await handleRequest(JSON.stringify({ userId: "ana" }), deps())).statusCode).to.equal(502);
    sagemaker.reset();
    // A model that answers after 1 s; the handler's budget here is 200 ms.
    sagemaker.on(InvokeEndpointCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({ Body: Uint8ArrayBlobAdapter.fromString("{}") }), 1000)));
    const slow = await handleRequest(JSON.stringify({ userId: "ana" }), deps());
    expect(slow).to.deep.equal({ statusCode: 504, body: { userId: "ana", error: "the model did not answer in time" } });
  });
});
