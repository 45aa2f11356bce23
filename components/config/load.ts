import * as pulumi from "@pulumi/pulumi";
import { buildPlatformConfig, PlatformConfig, projectConfigValues } from "./platform";

/**
 * Reads every `<project>:*` key of the current stack and returns the validated model.
 * Called first in the program, so a bad value fails before any resource is registered.
 */
export function loadPlatformConfig(): PlatformConfig {
  const project = pulumi.getProject();
  return buildPlatformConfig(project, pulumi.getStack(), projectConfigValues(pulumi.runtime.allConfig(), project));
}
