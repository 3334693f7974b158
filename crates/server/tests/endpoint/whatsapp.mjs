// An independent implementation of WhatsApp Flows' endpoint encryption with Node's `crypto`,
// written from Meta's endpoint documentation, for tests/endpoint.rs to cross-check the Rust
// module against (and tests/endpoint_mock.rs the mock endpoint). One operation per run:
// `node whatsapp.mjs <operation>`, its input as JSON on stdin, its result as JSON on stdout.
// Binary values travel as base64.
import crypto from "node:crypto";

const TAG_BYTES = 16;

function flip(iv) {
  return Buffer.from(iv.map((byte) => byte ^ 0xff));
}

function gcmEncrypt(key, iv, plain) {
  const cipher = crypto.createCipheriv("aes-128-gcm", key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function gcmDecrypt(key, iv, sealed) {
  const decipher = crypto.createDecipheriv("aes-128-gcm", key, iv);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
}

const operations = {
  // WhatsApp's side: a fresh AES-128 key and 16-byte IV, the key wrapped with RSA-OAEP SHA-256.
  // `plain` sends a text as it is (to test what is not JSON).
  "encrypt-request"({ publicKey, payload, plain }) {
    const key = crypto.randomBytes(16);
    const iv = crypto.randomBytes(16);
    const text = plain ?? JSON.stringify(payload);
    const wrapped = crypto.publicEncrypt(
      { key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      key,
    );
    return {
      body: {
        encrypted_flow_data: gcmEncrypt(key, iv, Buffer.from(text, "utf8")).toString("base64"),
        encrypted_aes_key: wrapped.toString("base64"),
        initial_vector: iv.toString("base64"),
      },
      aesKey: key.toString("base64"),
      iv: iv.toString("base64"),
    };
  },
  // The endpoint's side, as Meta's example endpoint does it.
  "decrypt-request"({ privateKey, passphrase, body }) {
    const key = crypto.privateDecrypt(
      {
        key: crypto.createPrivateKey({ key: privateKey, passphrase }),
        padding: crypto.constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: "sha256",
      },
      Buffer.from(body.encrypted_aes_key, "base64"),
    );
    const iv = Buffer.from(body.initial_vector, "base64");
    const plain = gcmDecrypt(key, iv, Buffer.from(body.encrypted_flow_data, "base64"));
    return { payload: JSON.parse(plain.toString("utf8")), aesKey: key.toString("base64"), iv: iv.toString("base64") };
  },
  // `invert: false` makes the commonest endpoint bug: the request's IV reused.
  "encrypt-response"({ aesKey, iv, response, invert = true }) {
    const requestIv = Buffer.from(iv, "base64");
    const responseIv = invert ? flip(requestIv) : requestIv;
    return gcmEncrypt(Buffer.from(aesKey, "base64"), responseIv, Buffer.from(JSON.stringify(response), "utf8")).toString("base64");
  },
  "decrypt-response"({ aesKey, iv, body }) {
    const plain = gcmDecrypt(Buffer.from(aesKey, "base64"), flip(Buffer.from(iv, "base64")), Buffer.from(body, "base64"));
    return JSON.parse(plain.toString("utf8"));
  },
  sign({ secret, body }) {
    return "sha256=" + crypto.createHmac("sha256", secret).update(body, "utf8").digest("hex");
  },
  // WhatsApp's side over HTTP (tests/endpoint_mock.rs): encrypts `payload` for `publicKey`,
  // posts it to `url` (signed with `secret` when given) and decrypts the answer. A status other
  // than 200 comes back with the body as it was.
  async exchange({ url, publicKey, payload, secret }) {
    const sent = operations["encrypt-request"]({ publicKey, payload });
    const body = JSON.stringify(sent.body);
    const headers = { "content-type": "application/json" };
    if (secret) headers["x-hub-signature-256"] = operations.sign({ secret, body });
    const response = await fetch(url, { method: "POST", headers, body });
    const text = await response.text();
    if (response.status !== 200) return { status: response.status, body: text };
    return { status: 200, answer: operations["decrypt-response"]({ aesKey: sent.aesKey, iv: sent.iv, body: text }) };
  },
  // Key pairs in the forms people have: `private` and `public` are Node's key encodings.
  keygen({ type = "rsa", private: privateEncoding, public: publicEncoding }) {
    const options = type === "rsa" ? { modulusLength: 2048 } : { namedCurve: "P-256" };
    const { privateKey, publicKey } = crypto.generateKeyPairSync(type, {
      ...options,
      privateKeyEncoding: { format: "pem", ...privateEncoding },
      publicKeyEncoding: { format: "pem", ...publicEncoding },
    });
    return { privateKey, publicKey };
  },
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
const operation = operations[process.argv[2]];
if (!operation) {
  console.error(`unknown operation ${process.argv[2]}`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(await operation(input)));
