/**
 * SAML 2.0 identity-provider metadata, checked before anything is deployed: the document parses
 * as XML (fast-xml-parser), its root is an md:EntityDescriptor with an entityID and an
 * IDPSSODescriptor for the SAML 2.0 protocol, it offers a single sign-on endpoint (HTTPS, redirect
 * or POST binding), and its signing certificates parse (node:crypto X509Certificate) and are valid
 * at `now`. A certificate within `warningDays` of its end is a warning, not a failure. Pure: the
 * clock is an argument.
 */
import { X509Certificate } from "node:crypto";
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface IdpSigningCertificate {
  readonly subject: string;
  /** ISO 8601. */
  readonly validTo: string;
  readonly fingerprint256: string;
}

export interface IdpMetadata {
  readonly entityId: string;
  readonly ssoUrl: string;
  readonly signingCertificates: readonly IdpSigningCertificate[];
}

export type IdpMetadataCheck =
  | { readonly ok: true; readonly metadata: IdpMetadata; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const SAML2_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
const SSO_BINDINGS = [
  "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
  "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
];
const DAY_MS = 86_400_000;

type Node = Record<string, unknown>;
const asList = (value: unknown): Node[] =>
  value === undefined
    ? []
    : (Array.isArray(value) ? value : [value]).filter((v): v is Node => typeof v === "object" && v !== null);
const text = (value: unknown): string =>
  typeof value === "string"
    ? value
    : typeof value === "object" && value !== null && typeof (value as Node)["#text"] === "string"
      ? String((value as Node)["#text"])
      : "";

/** The certificates of the descriptor's signing keys (a KeyDescriptor without `use` signs too). */
function signingCertificates(descriptor: Node): string[] {
  return asList(descriptor.KeyDescriptor)
    .filter((k) => k["@_use"] === undefined || k["@_use"] === "signing")
    .flatMap((k) => asList(k.KeyInfo))
    .flatMap((info) => asList(info.X509Data))
    .flatMap((data) => (Array.isArray(data.X509Certificate) ? data.X509Certificate : [data.X509Certificate]).map(text))
    .map((b64) => b64.replace(/\s+/g, ""))
    .filter((b64) => b64 !== "");
}

export function checkIdpMetadata(xml: string, now: Date, warningDays: number): IdpMetadataCheck {
  if (XMLValidator.validate(xml) !== true) return { ok: false, problems: ["is not well-formed XML"] };
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
  }).parse(xml) as Node;
  const rootName = Object.keys(doc).find((k) => !k.startsWith("?"));
  if (rootName !== "EntityDescriptor")
    return {
      ok: false,
      problems: [`has root element ${rootName ?? "(none)"}; SAML 2.0 IdP metadata is one md:EntityDescriptor`],
    };
  const root = doc.EntityDescriptor as Node;
  const problems: string[] = [];
  const entityId = typeof root["@_entityID"] === "string" ? root["@_entityID"].trim() : "";
  if (!entityId) problems.push("has no entityID");
  const descriptor = asList(root.IDPSSODescriptor).find((d) =>
    String(d["@_protocolSupportEnumeration"] ?? "")
      .split(/\s+/)
      .includes(SAML2_PROTOCOL),
  );
  if (!descriptor)
    return {
      ok: false,
      problems: [...problems, `has no IDPSSODescriptor for ${SAML2_PROTOCOL} (is it service-provider metadata?)`],
    };
  const sso = asList(descriptor.SingleSignOnService).find(
    (s) => SSO_BINDINGS.includes(String(s["@_Binding"])) && /^https:\/\//.test(String(s["@_Location"] ?? "")),
  );
  if (!sso)
    problems.push("has no SingleSignOnService with an https Location and the HTTP-Redirect or HTTP-POST binding");
  const encoded = signingCertificates(descriptor);
  if (encoded.length === 0)
    problems.push("has no signing certificate (KeyDescriptor use=signing with an X509Certificate)");
  const warnings: string[] = [];
  const valid: IdpSigningCertificate[] = [];
  encoded.forEach((b64, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(b64, "base64"));
    } catch {
      problems.push(`signing certificate ${i + 1} does not parse as an X.509 certificate`);
      return;
    }
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    const name = `signing certificate ${i + 1} (${cert.subject.replace(/\n/g, ", ")})`;
    if (to.getTime() <= now.getTime()) {
      warnings.push(`${name} expired on ${to.toISOString()}`);
      return;
    }
    if (from.getTime() > now.getTime()) {
      warnings.push(`${name} is not valid before ${from.toISOString()}`);
      return;
    }
    const daysLeft = Math.floor((to.getTime() - now.getTime()) / DAY_MS);
    if (daysLeft < warningDays)
      warnings.push(
        `${name} expires on ${to.toISOString()}, in ${daysLeft} days; ask the IdP's administrators for the next certificate and update the metadata`,
      );
    valid.push({
      subject: cert.subject.replace(/\n/g, ", "),
      validTo: to.toISOString(),
      fingerprint256: cert.fingerprint256,
    });
  });
  if (encoded.length > 0 && valid.length === 0 && !problems.some((p) => p.includes("does not parse"))) {
    problems.push(
      `has no signing certificate valid on ${now.toISOString()}: ${warnings.join("; ")}; the IdP signs with a newer one — download its metadata again`,
    );
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, metadata: { entityId, ssoUrl: String(sso!["@_Location"]), signingCertificates: valid }, warnings };
}
