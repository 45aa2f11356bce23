import * as pulumi from "@pulumi/pulumi";
import { buildPlatformConfig, PlatformConfig } from "./platform";

/**
 * Reads every `<project>:*` key of the current stack and returns the validated model.
 * Called first in the program, so a bad value fails before any resource is registered.
 */
export function loadPlatformConfig(): PlatformConfig {
  const project = pulumi.getProject();
  const prefix = `${project}:`;
  const values: Record<string, string> = {};
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (fullKey.startsWith(prefix)) values[fullKey.slice(prefix.length)] = value;
  }
  return buildPlatformConfig(project, pulumi.getStack(), values);
}
