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
  const deps = () => ({
    ...awsDeps(dynamo.client, new SageMakerRuntimeClient({ region: "eu-west-1" }), table, "feature-model", 200),
    now: () => T0 + 90_000,
  });

  before(async () => {
    dynamo = await startDynalite();
    await createFeatureTable(dynamo.client, table);
    const events = [0, 60_000].map((dt) =>
      kinesisRecord({ userId: "ana", eventType: "cart", timestamp: new Date(T0 + dt).toISOString() }),
    );
    await processBatch(events, {
      ddb: dynamo.client,
      table,
      cache: new FeatureCache(),
      log: { warn: () => undefined, error: () => undefined },
      allowedLatenessMs: 15 * 60_000,
    });
  });
  after(async () => dynamo.stop());
  beforeEach(() => sagemaker.reset());

  it("answers with the user's features and the model's prediction, sending the model exactly those features", async () => {
    sagemaker
      .on(InvokeEndpointCommand)
      .resolves({ Body: Uint8ArrayBlobAdapter.fromString(JSON.stringify({ score: 0.87 })) });
    const res = await handleRequest(JSON.stringify({ userId: "ana", input: { basketValue: 42 } }), deps());
    const features = { lastEventType: "cart", recentEventCount: 2, secondsSinceLastEvent: 30 };
    expect(res).to.deep.equal({ statusCode: 200, body: { userId: "ana", features, prediction: { score: 0.87 } } });
    const sent = sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input;
    expect(sent).to.deep.include({ EndpointName: "feature-model", ContentType: "application/json" });
    expect(JSON.parse(Buffer.from(sent.Body as Uint8Array).toString("utf8"))).to.deep.equal({
      userId: "ana",
      features,
      input: { basketValue: 42 },
    });
  });

  it("rejects bad input with 400 and a message naming the field, without calling anything", async () => {
    const notJson = { statusCode: 400, body: { error: 'body must be JSON: {"userId": "...", "input": {...}}' } };
    expect(await handleRequest("{oops", deps())).to.deep.equal(notJson);
    expect(await handleRequest(undefined, deps()), "no body at all").to.deep.equal(notJson);
    const missing = await handleRequest(JSON.stringify({ input: {} }), deps());
    expect(missing).to.deep.equal({
      statusCode: 400,
      body: { error: "invalid request", details: ["userId: a string of 1 to 128 characters"] },
    });
    const details = async (body: unknown) => (await handleRequest(JSON.stringify(body), deps())).body.details;
    expect(await details([]), "a problem with the body itself names (body)").to.deep.equal([
      "(body): a JSON object with userId and optional input",
    ]);
    expect(await details({ userId: "ana", admin: true, role: "x" })).to.deep.equal([
      "(body): unknown field(s) admin, role; the body has userId and optional input",
    ]);
    expect(await details({ userId: "x".repeat(129) })).to.deep.equal(["userId: a string of 1 to 128 characters"]);
    expect(await details({ userId: "ana", input: 3 })).to.deep.equal([
      "input: a map of names to numbers, strings or booleans",
    ]);
    expect(await details({ userId: "ana", input: { basket: [1] } })).to.deep.equal([
      "input.basket: a number, string or boolean",
    ]);
    expect(sagemaker.commandCalls(InvokeEndpointCommand)).to.have.length(0);
  });

  it("sends an empty input when the request has none, and never a negative age", async () => {
    sagemaker.on(InvokeEndpointCommand).resolves({ Body: Uint8ArrayBlobAdapter.fromString("{}") });
    const early = { ...deps(), now: () => T0 };
    const res = await handleRequest(JSON.stringify({ userId: "ana" }), early);
    expect(res.body.features).to.deep.equal({ lastEventType: "cart", recentEventCount: 2, secondsSinceLastEvent: 0 });
    const sent = sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input;
    expect(JSON.parse(Buffer.from(sent.Body as Uint8Array).toString("utf8")).input).to.deep.equal({});
  });

  it("gives a user with no features a defined 404, not a crash, and does not call the model", async () => {
    const res = await handleRequest(JSON.stringify({ userId: "nobody" }), deps());
    expect(res).to.deep.equal({
      statusCode: 404,
      body: { userId: "nobody", error: "no features for user nobody yet; they appear after the user's first event" },
    });
    expect(sagemaker.commandCalls(InvokeEndpointCommand)).to.have.length(0);
  });

  it("maps a model error to 502 and a model that does not answer in time to 504", async () => {
    sagemaker.on(InvokeEndpointCommand).rejects(Object.assign(new Error("boom"), { name: "ModelError" }));
    expect(await handleRequest(JSON.stringify({ userId: "ana" }), deps())).to.deep.equal({
      statusCode: 502,
      body: { userId: "ana", error: "the model endpoint failed", cause: "ModelError" },
    });
    const unnamed = { ...deps(), invokeModel: () => Promise.reject(Object.assign(new Error("?"), { name: "" })) };
    expect((await handleRequest(JSON.stringify({ userId: "ana" }), unnamed)).body.cause).to.equal("unknown");
    const thrownString = { ...deps(), invokeModel: () => Promise.reject({}) };
    expect((await handleRequest(JSON.stringify({ userId: "ana" }), thrownString)).body.cause).to.equal("unknown");
    const aborted = {
      ...deps(),
      invokeModel: () => Promise.reject(Object.assign(new Error("aborted"), { name: "AbortError" })),
    };
    expect((await handleRequest(JSON.stringify({ userId: "ana" }), aborted)).statusCode).to.equal(504);
    sagemaker.reset();
    // A model that answers after 1 s; the handler's budget here is 200 ms.
    sagemaker
      .on(InvokeEndpointCommand)
      .callsFake(
        () =>
          new Promise((resolve) => setTimeout(() => resolve({ Body: Uint8ArrayBlobAdapter.fromString("{}") }), 1000)),
      );
    const slow = await handleRequest(JSON.stringify({ userId: "ana" }), deps());
    expect(slow).to.deep.equal({ statusCode: 504, body: { userId: "ana", error: "the model did not answer in time" } });
  });
});
