/** Ports more than one layer must agree on (security rules on both clouds, listeners, clients). */

/** Autonomous Database TLS listener (one-way TLS, no wallet). */
export const ORACLE_TLS_PORT = 1522;
/** OCI Streaming's Kafka-compatible endpoint. */
export const KAFKA_PORT = 9092;
export const HTTPS_PORT = 443;

/** MSK's IAM-authenticated TLS listener (the bootstrap brokers for IAM). */
export const MSK_IAM_PORT = 9098;
