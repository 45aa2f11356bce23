/** The inference logic's dependencies on real AWS clients (DynamoDB feature read, SageMaker endpoint call). */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { readFeatures } from "../features/store";
import { InferenceDeps } from "./inference";

export function awsDeps(
  ddbClient: DynamoDBClient,
  runtime: SageMakerRuntimeClient,
  tableName: string,
  endpointName: string,
  timeoutMs: number,
): InferenceDeps {
  return {
    getFeatures: (userId) => readFeatures(ddbClient, tableName, userId),
    invokeModel: async (payload) => {
      // Our own deadline: it fails the call with TimeoutError and aborts the request in flight.
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(
            Object.assign(new Error(`no answer from ${endpointName} within ${timeoutMs} ms`), { name: "TimeoutError" }),
          );
        }, timeoutMs);
      });
      const call = runtime.send(
        new InvokeEndpointCommand({
          EndpointName: endpointName,
          ContentType: "application/json",
          Accept: "application/json",
          Body: Buffer.from(JSON.stringify(payload)),
        }),
        { abortSignal: controller.signal },
      );
      try {
        const out = await Promise.race([call, deadline]);
        return JSON.parse(Buffer.from(out.Body ?? new Uint8Array()).toString("utf8")) as unknown;
      } finally {
        clearTimeout(timer);
      }
    },
    now: () => Date.now(),
  };
}
