/**
 * Kafka for the order service and its sync consumer, with kafkajs — chosen because it is the client
 * this machine can prove against a real Kafka protocol implementation (librdkafka's mock cluster);
 * @platformatic/kafka (maintained, where kafkajs has had no release since 2023) opens with
 * ApiVersions v3, which the mock refuses, and its 2.x line needs Node 22.22. Only this module
 * touches the client, so replacing it is local. MSK is reached over TLS with IAM authentication
 * (SASL OAUTHBEARER, tokens from aws-msk-iam-sasl-signer-js, cached until a minute before expiry).
 */
import { generateAuthToken } from "aws-msk-iam-sasl-signer-js";
import type { KafkaConfig } from "kafkajs";

export interface GeneratedToken {
  readonly token: string;
  /** Milliseconds since the epoch. */
  readonly expiryTime: number;
}

/** Renew a token this long before it expires: a (re)connect never presents a token about to lapse. */
export const TOKEN_RENEW_BEFORE_MS = 60_000;

/** kafkajs's OAUTHBEARER provider over an IAM token generator, one token at a time, cached. */
export function iamTokenProvider(
  generate: () => Promise<GeneratedToken>,
  now: () => number = Date.now,
): () => Promise<{ value: string }> {
  let current: GeneratedToken | undefined;
  let pending: Promise<GeneratedToken> | undefined;
  return async () => {
    if (!current || now() >= current.expiryTime - TOKEN_RENEW_BEFORE_MS) {
      pending ??= generate().finally(() => {
        pending = undefined;
      });
      current = await pending;
    }
    return { value: current.token };
  };
}

export interface KafkaSettings {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** "iam": MSK over TLS with IAM; "plaintext": a local broker (tests, the mock cluster). */
  readonly auth: "iam" | "plaintext";
  readonly region: string;
}

export function kafkaConfig(
  settings: KafkaSettings,
  generate: () => Promise<GeneratedToken> = () => generateAuthToken({ region: settings.region }),
): KafkaConfig {
  const base: KafkaConfig = {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { retries: 5, initialRetryTime: 300 },
  };
  if (settings.auth === "plaintext") return base;
  return { ...base, ssl: true, sasl: { mechanism: "oauthbearer", oauthBearerProvider: iamTokenProvider(generate) } };
}
