/**
 * Every parser of a secret's text refuses a malformed one without echoing it: JSON.parse's own
 * error quotes the text, and a secret must not reach a log, a Step Functions failure or a response.
 */
import { expect } from "chai";
import { parseOciKey } from "../../functions/aws/batch/copyHandler";
import { parseSecretJson } from "../../functions/aws/common/secretJson";
import { parseOciKeySecret } from "../../functions/aws/grafana/provision";
import { parseDbSecret } from "../../functions/aws/migrate/contract";
import { parseCredentials } from "../../functions/aws/orders/secret";
import { parseFunctionDbCredential } from "../../functions/oci/common/vaultCredential";

const MARKER = "hunter2-Sup3rSecret";
const malformed = [`{"password":"${MARKER}"`, `${MARKER}`, `{"password":"${MARKER}",}`, `["${MARKER}"]`, "null", "7"];

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (err) {
    expect((err as Error).constructor.name, (err as Error).message).to.not.be.oneOf(["TypeError", "SyntaxError"]);
    return (err as Error).message;
  }
  return "accepted";
}

describe("secret parsers never echo the secret", () => {
  const parsers: Array<[string, (text: string) => unknown]> = [
    ["parseSecretJson", (t) => parseSecretJson(t, "the test secret", "{password}")],
    ["parseOciKey (batch copy)", (t) => parseOciKey(t)],
    ["parseOciKeySecret (Grafana)", (t) => parseOciKeySecret(t)],
    ["parseDbSecret (migrations, loads)", (t) => parseDbSecret(t, "loader")],
    ["parseCredentials (order service)", (t) => parseCredentials(t)],
    ["parseFunctionDbCredential (OCI functions)", (t) => parseFunctionDbCredential(Buffer.from(t).toString("base64"))],
  ];
  for (const [name, parse] of parsers)
    it(`${name}: refuses each malformed text by what it expected, never quoting it`, () => {
      for (const text of malformed) {
        const message = refusal(() => parse(text));
        expect(message, `${name} on ${text}`).to.not.equal("accepted");
        expect(message, `${name} on ${text}`).to.not.contain(MARKER);
        expect(message, `${name} on ${text}`).to.not.contain("hunter2");
      }
    });

  it("names what is wrong exactly", () => {
    expect(refusal(() => parseSecretJson("{", "the test secret", "{password}"))).to.equal(
      "the test secret is not JSON; expected {password}",
    );
    expect(refusal(() => parseSecretJson("[]", "the test secret", "{password}"))).to.equal(
      "the test secret is not a JSON object; expected {password}",
    );
    expect(parseSecretJson('{"password":"p"}', "s", "{password}")).to.deep.equal({ password: "p" });
    expect(refusal(() => parseOciKey('{"accessKeyId":"a"}'))).to.equal("the OCI key secret has no secretAccessKey");
    expect(refusal(() => parseDbSecret("null", "loader"))).to.equal(
      'loader: the secret is not a JSON object; expected {"username", "password", "dsn"}',
    );
  });
});
