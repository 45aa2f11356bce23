/**
 * The IdP metadata check (components/config/samlMetadata.ts), with certificates generated for the
 * test's own clock: a good document, an expired certificate (an error), one expiring soon (a
 * warning), a rollover (old expired + new valid), malformed XML, the wrong root element, service
 * provider metadata, no SSO endpoint, a certificate that does not parse.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ConfigError } from "../../components/config/errors";
import { type FederationSettings, resolveFederation } from "../../components/config/federation";
import { checkIdpMetadata } from "../../components/config/samlMetadata";
import { certificateFor, idpMetadata } from "../support/idpMetadata";

const NOW = new Date("2031-06-15T12:00:00Z");

describe("SAML IdP metadata check (pure, injected clock)", function () {
  it("reads the entity id, the SSO endpoint and the signing certificate of good metadata", async () => {
    const check = checkIdpMetadata(idpMetadata([await certificateFor(NOW, 400)]), NOW, 30);
    if (!check.ok) throw new Error(check.problems.join("; "));
    expect(check.metadata.entityId).to.equal("https://sts.windows.net/00000000-0000-4000-8000-000000000001/");
    expect(check.metadata.ssoUrl).to.equal(
      "https://login.microsoftonline.com/00000000-0000-4000-8000-000000000001/saml2",
    );
    expect(check.metadata.signingCertificates.map((c) => c.subject)).to.deep.equal(["CN=Test IdP signing"]);
    expect(check.metadata.signingCertificates[0].validTo.slice(0, 10)).to.equal("2032-07-19");
    expect(check.warnings).to.deep.equal([]);
  });

  it("fails on an expired certificate, and warns — without failing — on one expiring within the warning days", async () => {
    const expired = checkIdpMetadata(idpMetadata([await certificateFor(NOW, -3)]), NOW, 30);
    expect(expired.ok).to.equal(false);
    expect(!expired.ok && expired.problems[0]).to.match(
      /^has no signing certificate valid on 2031-06-15T12:00:00.000Z: signing certificate 1 \(CN=Test IdP signing\) expired on 2031-06-12/,
    );
    const soon = checkIdpMetadata(idpMetadata([await certificateFor(NOW, 10)]), NOW, 30);
    expect(soon.ok).to.equal(true);
    expect(soon.ok && soon.warnings[0]).to.match(
      /^signing certificate 1 \(CN=Test IdP signing\) expires on 2031-06-25T12:00:00.000Z, in 10 days;/,
    );
    expect(checkIdpMetadata(idpMetadata([await certificateFor(NOW, 10)]), NOW, 5)).to.deep.include({ warnings: [] });
  });

  it("accepts a rollover (the old certificate expired, the new one valid), saying so", async () => {
    const check = checkIdpMetadata(
      idpMetadata([await certificateFor(NOW, -1, "CN=old"), await certificateFor(NOW, 300, "CN=new")]),
      NOW,
      30,
    );
    expect(check.ok).to.equal(true);
    expect(check.ok && check.metadata.signingCertificates.map((c) => c.subject)).to.deep.equal(["CN=new"]);
    expect(check.ok && check.warnings[0]).to.match(/^signing certificate 1 \(CN=old\) expired on/);
  });

  it("refuses malformed XML, the wrong root, service-provider metadata, no SSO endpoint and a broken certificate, naming each", async () => {
    const good = await certificateFor(NOW, 400);
    const problems = (xml: string) => {
      const check = checkIdpMetadata(xml, NOW, 30);
      return check.ok ? [] : check.problems;
    };
    expect(problems("<md:EntityDescriptor><unclosed>")).to.deep.equal(["is not well-formed XML"]);
    expect(problems(idpMetadata([good], { root: "md:EntitiesDescriptor" }))).to.deep.equal([
      "has root element EntitiesDescriptor; SAML 2.0 IdP metadata is one md:EntityDescriptor",
    ]);
    expect(problems(idpMetadata([good]).replace(/IDPSSODescriptor/g, "SPSSODescriptor"))).to.deep.equal([
      "has no IDPSSODescriptor for urn:oasis:names:tc:SAML:2.0:protocol (is it service-provider metadata?)",
    ]);
    expect(problems(idpMetadata([good], { ssoUrl: "http://idp.example.com/sso" }))).to.deep.equal([
      "has no SingleSignOnService with an https Location and the HTTP-Redirect or HTTP-POST binding",
    ]);
    expect(problems(idpMetadata(["bm90IGEgY2VydGlmaWNhdGU="]))).to.deep.equal([
      "signing certificate 1 does not parse as an X.509 certificate",
    ]);
    expect(problems(idpMetadata([]))).to.deep.equal([
      "has no signing certificate (KeyDescriptor use=signing with an X509Certificate)",
    ]);
    expect(problems(idpMetadata([good], { entityId: " " }))).to.deep.equal(["has no entityID"]);
  });
});

describe("the federation's resolve step (metadata read and checked before any resource)", function () {
  const settings = (idpMetadata: { file?: string; url?: string }): FederationSettings => ({
    idpMetadata,
    certificateWarningDays: 30,
    groupAttribute: "groups",
    aws: { maxSessionHours: 4 },
    oci: {
      identityDomainUrl: "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com",
      identityDomainName: "Default",
    },
    mappings: [{ group: "platform-admins", aws: "admin", oci: "administrators" }],
  });
  const failure = async (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: ConfigError) => e.issues,
    );

  it("reads the file or the URL config names, and passes the metadata, its document and the warnings on", async () => {
    const xml = idpMetadata([await certificateFor(NOW, 20)]);
    const asked: string[] = [];
    const read = {
      readFile: async (f: string) => (asked.push(`file ${f}`), xml),
      fetchUrl: async (u: string) => (asked.push(`url ${u}`), xml),
    };
    const fromFile = await resolveFederation("multicloud", "org", settings({ file: "federation/idp.xml" }), read, NOW);
    expect([fromFile.metadataXml, fromFile.metadata.entityId, fromFile.warnings.length]).to.deep.equal([
      xml,
      "https://sts.windows.net/00000000-0000-4000-8000-000000000001/",
      1,
    ]);
    await resolveFederation("multicloud", "org", settings({ url: "https://idp.example.com/metadata" }), read, NOW);
    expect(asked).to.deep.equal(["file federation/idp.xml", "url https://idp.example.com/metadata"]);
  });

  it("refuses unreadable or wrong metadata with a ConfigError naming the key and the fix", async () => {
    const unreadable = {
      readFile: async () => Promise.reject(new Error("ENOENT: no such file")),
      fetchUrl: async () => Promise.reject(new Error("HTTP 404")),
    };
    expect(
      await failure(
        resolveFederation("multicloud", "org", settings({ file: "federation/missing.xml" }), unreadable, NOW),
      ),
    ).to.deep.equal([
      {
        key: "multicloud:federation.idpMetadata.file",
        message:
          "cannot be read (ENOENT: no such file); download the IdP's federation metadata and commit it, or give a reachable URL",
      },
    ]);
    expect(
      await failure(
        resolveFederation("multicloud", "org", settings({ url: "https://idp.example.com/metadata" }), unreadable, NOW),
      ),
    ).to.deep.include({
      key: "multicloud:federation.idpMetadata.url",
      message:
        "cannot be read (HTTP 404); download the IdP's federation metadata and commit it, or give a reachable URL",
    });
    const expired = idpMetadata([await certificateFor(NOW, -1)]);
    const issues = await failure(
      resolveFederation(
        "multicloud",
        "org",
        settings({ file: "f.xml" }),
        { readFile: async () => expired, fetchUrl: async () => expired },
        NOW,
      ),
    );
    expect(issues?.map((i) => i.key)).to.deep.equal(["multicloud:federation.idpMetadata.file"]);
    expect(issues?.[0].message).to.match(/^the IdP metadata has no signing certificate valid on 2031-06-15/);
  });

  it("the committed example metadata passes today and names its placeholder certificate", async () => {
    const xml = readFileSync(path.join(__dirname, "..", "..", "federation", "idp-metadata.xml"), "utf8");
    const check = checkIdpMetadata(xml, new Date(), 30);
    expect(check.ok && check.metadata.signingCertificates.map((c) => [c.subject, c.validTo])).to.deep.equal([
      ["CN=Microsoft Azure Federated SSO Certificate (example)", "2036-01-01T00:00:00.000Z"],
    ]);
  });
});
