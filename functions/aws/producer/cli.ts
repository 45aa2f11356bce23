/** `npm run events:put -- --stream NAME --count N [--users U] [--region R] [--endpoint URL]` */
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { parseArgs } from "node:util";
import { makeEvents, putEvents } from "./putEvents";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stream: { type: "string" },
      count: { type: "string", default: "100" },
      users: { type: "string", default: "10" },
      region: { type: "string" },
      endpoint: { type: "string" },
    },
  });
  const count = Number(values.count);
  const users = Number(values.users);
  if (!values.stream || !Number.isInteger(count) || count < 1 || !Number.isInteger(users) || users < 1) {
    throw new Error(
      "usage: npm run events:put -- --stream NAME --count N [--users U] [--region R] [--endpoint URL]  (N, U whole numbers ≥ 1)",
    );
  }
  // HTTP/1.1 handler: works with AWS and with local stand-ins such as kinesalite.
  const kinesis = new KinesisClient({
    region: values.region,
    endpoint: values.endpoint,
    requestHandler: new NodeHttpHandler(),
  });
  const summary = await putEvents(kinesis, values.stream, makeEvents(count, users, Date.now()));
  console.log(
    `put ${summary.sent} events on ${values.stream} in ${summary.calls} PutRecords call(s), ${summary.retriedRecords} record(s) retried`,
  );
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
