/**
 * What the service-secret rotation function and the infrastructure that deploys it agree on: the
 * environment it reads, the users it alternates between, and its limits. Both sides import this
 * module and nothing else of the other.
 */

/** Environment variables the function reads, set by the SecretRotation component. */
export const ROTATE_ENV = {
  /** ARN of the ADMIN secret: the user that sets the alternate user's password. */
  adminSecretArn: "ADMIN_SECRET_ARN",
} as const;

/** The two logins the services' secret alternates between (V001 and V008), each with the same row privileges (V007, V009). */
export const SERVICE_USERS = ["MC_SVC", "MC_SVC_B"] as const;

/** Secrets Manager gives a rotation step at most this long; logins over the interconnect take seconds. */
export const ROTATE_LIMITS = { timeoutSeconds: 60, memoryMb: 256 } as const;

/** The steps Secrets Manager invokes a rotation function with, in order. */
export const ROTATION_STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What the function calls at runtime: the rotation steps on the services' secret, and ADMIN's secret. */
export const ROTATE_CALLS = [
  {
    target: "serviceSecret",
    actions: [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ],
  },
  { target: "adminSecret", actions: ["secretsmanager:GetSecretValue"] },
] as const;
