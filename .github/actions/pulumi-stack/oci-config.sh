#!/usr/bin/env bash
# Writes ~/.oci/config (profile DEFAULT) from CI secrets; the OCI provider reads it.
set -euo pipefail
mkdir -p ~/.oci
printf '%s\n' "$OCI_PRIVATE_KEY" > ~/.oci/key.pem
chmod 600 ~/.oci/key.pem
cat > ~/.oci/config <<CONFIG
[DEFAULT]
user=${OCI_USER_OCID}
fingerprint=${OCI_FINGERPRINT}
tenancy=${OCI_TENANCY_OCID}
region=${OCI_REGION}
key_file=${HOME}/.oci/key.pem
CONFIG
chmod 600 ~/.oci/config
