/**
 * SAML IdP metadata for tests, with signing certificates generated here (node-forge) for the
 * validity the test asks for — so no fixture ever expires: the tests pass their own clock.
 */
import forge from "node-forge";

const DAY_MS = 86_400_000;

/** A self-signed certificate valid from `from` to `to` (base64 DER, as metadata carries it). */
/** One key for every test certificate: generating RSA keys is the slow part, and the key is not what is tested. */
let keys: forge.pki.rsa.KeyPair | undefined;

export async function certificate(from: Date, to: Date, subject = "CN=Test IdP signing"): Promise<string> {
  keys ??= forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "01";
  cert.validity.notBefore = from;
  cert.validity.notAfter = to;
  const attrs = [{ shortName: "CN", value: subject.replace(/^CN=/, "") }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
}

/** A certificate valid for `days` from `now` (negative: expired that many days ago). */
export function certificateFor(now: Date, days: number, subject?: string): Promise<string> {
  const to = new Date(now.getTime() + days * DAY_MS);
  const from = new Date(Math.min(now.getTime(), to.getTime()) - 365 * DAY_MS);
  return certificate(from, to, subject);
}

/** IdP metadata in the shape Entra ID publishes (md: and ds: prefixes), with these signing certificates. */
export function idpMetadata(
  certificates: readonly string[],
  options: { entityId?: string; ssoUrl?: string; root?: string } = {},
): string {
  const root = options.root ?? "md:EntityDescriptor";
  const keys = certificates
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join("");
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<${root} xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${options.entityId ?? "https://sts.windows.net/00000000-0000-4000-8000-000000000001/"}">`,
    '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
    keys,
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${options.ssoUrl ?? "https://login.microsoftonline.com/00000000-0000-4000-8000-000000000001/saml2"}"/>`,
    "</md:IDPSSODescriptor>",
    `</${root}>`,
  ].join("\n");
}
