import { S3Client, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import {
  callingFunction,
  checkedSigner,
  DECLARED,
  SDK_ACTIONS,
  undeclaredCall,
  undeclaredOciRequest,
} from "../support/sdkCalls";

const frame = (file: string) =>
  `Error\n    at send (${file}:10:5)\n    at run (/work/main/tests/functions/x.test.ts:1:1)`;

describe("declared calls against the code's SDK calls (tests/support/sdkCalls.ts)", () => {
  it("finds the calling function from the stack, and ignores test code and the developer producer", () => {
    expect(callingFunction(frame("/repo/functions/aws/costs/store.ts"))).to.equal("costs");
    expect(callingFunction(frame("/repo/tests/functions/support/s3.ts"))).to.equal(undefined);
    expect(callingFunction(frame("/repo/functions/aws/producer/putEvents.ts"))).to.equal(undefined);
  });

  it("fails a call the function's contract does not declare, and passes a declared one", () => {
    expect(undeclaredCall("PutObjectCommand", frame("/r/functions/aws/batch/s3Sink.ts"), undefined)).to.equal(
      undefined,
    );
    expect(undeclaredCall("PublishCommand", frame("/r/functions/aws/batch/s3Sink.ts"), undefined)).to.equal(
      "functions/aws/batch calls sns:Publish (PublishCommand) but its contract does not declare it: add it to the contract's calls (and the grant)",
    );
    expect(undeclaredCall("DeleteObjectCommand", frame("/r/functions/aws/costs/store.ts"), undefined)).to.match(
      /cannot map to IAM actions; add it to SDK_ACTIONS/,
    );
  });

  it("wraps every client: an undeclared command from a function's file is refused before it leaves", async () => {
    const client = new S3Client({
      region: "eu-west-1",
      endpoint: "http://127.0.0.1:9",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    // Called from this test file: not a function's call, so it goes out (and fails to connect).
    const fromTest = await client.send(new DeleteObjectCommand({ Bucket: "b", Key: "k" })).catch((e: Error) => e);
    expect(String(fromTest)).to.not.contain("contract");
    // The same wrapped send, with a function's frame on the stack, is refused with the reason.
    const wrapped = Object.getPrototypeOf(S3Client.prototype) as { send: (c: unknown) => Promise<unknown> };
    const refused = await (async function fromFunction() {
      const original = Error.prepareStackTrace;
      Error.prepareStackTrace = () => frame("/r/functions/aws/inference/awsDeps.ts");
      try {
        return wrapped.send.call(client, new PutObjectCommand({ Bucket: "b", Key: "k" }));
      } finally {
        Error.prepareStackTrace = original;
      }
    })().catch((e: Error) => e.message);
    expect(refused).to.equal(
      "functions/aws/inference calls s3:PutObject (PutObjectCommand) but its contract does not declare it: add it to the contract's calls (and the grant)",
    );
    client.destroy();
  });

  it("maps every command the functions send, and every declared action exists in some map entry or is a Kafka/EC2 action", () => {
    const mapped = new Set(Object.values(SDK_ACTIONS).flat());
    for (const [fn, actions] of Object.entries(DECLARED))
      for (const a of actions)
        // Kafka (kafkajs signs with IAM), and what Lambda and Step Functions call with the roles, are not SDK commands.
        if (!/^(kafka-cluster|kinesis|ec2|logs|xray|lambda|states|sqs):/.test(a))
          expect(mapped.has(a), `${fn}: ${a}`).to.equal(true);
  });
});

describe("declared OCI operations against the signed requests (tests/support/sdkCalls.ts)", () => {
  const costs = frame("/r/functions/aws/costs/collect.ts");
  it("maps the signed paths to operations and checks them against the calling function's contract", () => {
    expect(
      undeclaredOciRequest("POST", "https://usageapi.eu-frankfurt-1.oci.oraclecloud.com/20200107/usage?page=2", costs),
    ).to.equal(undefined);
    expect(
      undeclaredOciRequest(
        "POST",
        "https://database.x.oraclecloud.com/20160918/autonomousDatabases/ocid1.a/actions/stop",
        costs,
      ),
    ).to.equal(undefined);
    expect(
      undeclaredOciRequest("POST", "https://usageapi.x/20200107/usage", frame("/r/functions/aws/grafana/handler.ts")),
    ).to.equal(
      "functions/aws/grafana calls OCI usage:RequestSummarizedUsages (POST /20200107/usage) but its contract does not declare it",
    );
    expect(undeclaredOciRequest("DELETE", "https://database.x/20160918/autonomousDatabases/a", costs)).to.match(
      /cannot map to an OCI operation; add it to OCI_SIGNED_OPERATIONS$/,
    );
  });

  it("the checked signer refuses to sign an undeclared request from a function's code, and signs test code's", async () => {
    const signed: string[] = [];
    const signer = checkedSigner({
      signHttpRequest: async (r: { method: string; uri: string }) => void signed.push(r.uri),
    });
    await signer.signHttpRequest({ method: "DELETE", uri: "https://x/20160918/autonomousDatabases/a" });
    expect(signed).to.deep.equal(["https://x/20160918/autonomousDatabases/a"]);
    const original = Error.prepareStackTrace;
    Error.prepareStackTrace = () => frame("/r/functions/aws/inference/awsDeps.ts");
    let refused: unknown;
    try {
      await signer.signHttpRequest({ method: "POST", uri: "https://x/20200107/usage" });
    } catch (err) {
      refused = err;
    } finally {
      Error.prepareStackTrace = original;
    }
    expect(String(refused)).to.equal(
      "Error: functions/aws/inference calls OCI usage:RequestSummarizedUsages (POST /20200107/usage) but its contract does not declare it",
    );
    expect(signed).to.have.length(1);
  });
});
