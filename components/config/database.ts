/** The `multicloud:database` key: the Autonomous Database (and, optionally, a warehouse), and how often the services' password rotates. */
import { z } from "zod";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";

/** The services' password rotates monthly unless the stack says otherwise. */
export const DEFAULT_SERVICE_ROTATION_DAYS = 30;

const LICENSE_MODELS = ["LICENSE_INCLUDED", "BRING_YOUR_OWN_LICENSE"] as const;

const instanceSchema = z.strictObject(
  {
    ecpuCount: integer(2, 512, "ECPUs (at least 2 outside an elastic pool)"),
    storageGb: integer(20, 393216, "storage in GB"),
    autoScaling: z.boolean(allowed("true or false")),
  },
  allowed("a map with ecpuCount, storageGb and autoScaling"),
);

export const databaseSchema = z.strictObject(
  {
    dbName: z
      .string(allowed("a database name"))
      .regex(
        /^[A-Za-z][A-Za-z0-9]{0,11}$/,
        allowed('a database name: a letter, then letters or digits, at most 12 characters (the warehouse adds "dw")'),
      ),
    oltp: instanceSchema,
    licenseModel: z.enum(LICENSE_MODELS, allowed(`one of ${LICENSE_MODELS.join(", ")}`)),
    backupRetentionDays: integer(1, 60, "days automatic backups are kept"),
    dataWarehouse: instanceSchema.optional(),
    // Secrets Manager accepts 1–1000; a year is the most a password should live.
    serviceRotationDays: integer(1, 365, "days between rotations of the services' database password").default(
      DEFAULT_SERVICE_ROTATION_DAYS,
    ),
    // Raised by hand to rotate the logins Pulumi keeps (MC_FN, MC_LOADER): the next up generates, sets and stores new passwords.
    credentialGeneration: integer(
      1,
      100_000,
      "the generation of the Pulumi-kept logins' passwords (MC_FN, MC_LOADER, and the Lakehouse's MC_LAKE); raise it to rotate them",
    ).default(1),
  },
  allowed(
    "a map with dbName, oltp, licenseModel, backupRetentionDays and optional dataWarehouse, serviceRotationDays, credentialGeneration",
  ),
);

export type DatabaseSettings = z.infer<typeof databaseSchema>;

/** Production rules for the database. */
export function checkDatabase(
  project: string,
  raw: DatabaseSettings,
  isProduction: boolean,
  issues: ConfigIssue[],
): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["database", ...path]);
  if (isProduction && raw.backupRetentionDays < 30) {
    issues.push({
      key: k("backupRetentionDays"),
      message: `${raw.backupRetentionDays} is too short for prod; keep backups at least 30 days`,
    });
  }
  if (isProduction && !raw.oltp.autoScaling) {
    issues.push({
      key: k("oltp", "autoScaling"),
      message: "must be true in prod; a fixed ECPU count cannot absorb peaks",
    });
  }
}
