/** A real DynamoDB API (dynalite, on LevelDB in memory) on a loopback port, plus a request counter. */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { AddressInfo } from "node:net";

interface DynaliteServer {
  listen(port: number, callback: () => void): void;
  close(callback: () => void): void;
  address(): AddressInfo;
}
// dynalite ships no types; it exports a server factory.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}) => DynaliteServer;

export interface LocalDynamo {
  readonly client: DynamoDBClient;
  /** Requests sent, by command name (e.g. PutItemCommand). */
  readonly requests: Map<string, number>;
  resetCount(): void;
  total(): number;
  stop(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${server.address().port}`,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const requests = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      requests.set(context.commandName ?? "?", (requests.get(context.commandName ?? "?") ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "requestCounter" },
  );
  return {
    client,
    requests,
    resetCount: () => requests.clear(),
    total: () => [...requests.values()].reduce((a, b) => a + b, 0),
    stop: () => {
      client.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Creates the feature table as the component does (userId hash key, on demand). */
export async function createFeatureTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: "userId", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "userId", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}
