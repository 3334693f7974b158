// A business's flow endpoint for tests/e2e/endpoint.rs, written with Node's `crypto` from
// Meta's endpoint documentation (the contract of crates/server/tests/endpoint/whatsapp.mjs):
// requests come as {encrypted_flow_data, encrypted_aes_key, initial_vector}, the AES-128 key
// wrapped with RSA-OAEP SHA-256; the answer is AES-128-GCM under the same key with the IV's
// bits inverted, base64. A request it cannot decrypt gets 421.
//
// `node encrypted_endpoint.mjs FLOW_JSON_PATH` makes a key pair, listens on 127.0.0.1 (any
// port) and prints one line of JSON: {"url", "public_key"}. It answers from the flow: INIT with
// the first screen, a data_exchange with the next screen (the routing model's first, else the
// next in order, else SUCCESS), BACK with the screen before; each screen's data is its
// `__example__` values, texts marked " (endpoint)" so the test sees where they came from.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";

const flow = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

const TAG_BYTES = 16;
const ids = flow.screens.map((screen) => screen.id);

function dataOf(id) {
  const model = flow.screens.find((screen) => screen.id === id)?.data ?? {};
  const data = {};
  for (const [name, field] of Object.entries(model)) {
    const example = field.__example__;
    data[name] = typeof example === "string" ? `${example} (endpoint)` : example;
  }
  return data;
}

function next(id) {
  const routed = flow.routing_model?.[id];
  if (routed && routed.length) return routed[0];
  const index = ids.indexOf(id);
  return index >= 0 && index + 1 < ids.length ? ids[index + 1] : null;
}

function previous(id) {
  const index = ids.indexOf(id);
  return index > 0 ? ids[index - 1] : id;
}

function answer(request) {
  if (request.action === "ping") return { data: { status: "active" } };
  if (request.data?.error) return { data: { acknowledged: true } };
  const screen =
    request.action === "INIT" ? ids[0] : request.action === "BACK" ? previous(request.screen) : next(request.screen);
  if (!screen) {
    return { screen: "SUCCESS", data: { extension_message_response: { params: { flow_token: request.flow_token } } } };
  }
  return { screen, data: dataOf(screen) };
}

function decrypt(body) {
  const key = crypto.privateDecrypt(
    { key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    Buffer.from(body.encrypted_aes_key, "base64"),
  );
  const iv = Buffer.from(body.initial_vector, "base64");
  const sealed = Buffer.from(body.encrypted_flow_data, "base64");
  const decipher = crypto.createDecipheriv("aes-128-gcm", key, iv);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  return { request: JSON.parse(plain.toString("utf8")), key, iv };
}

function encrypt(response, key, iv) {
  const flipped = Buffer.from(iv.map((byte) => byte ^ 0xff));
  const cipher = crypto.createCipheriv("aes-128-gcm", key, flipped);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(response), "utf8"), cipher.final(), cipher.getAuthTag()]);
  return sealed.toString("base64");
}

const server = http.createServer((incoming, outgoing) => {
  const chunks = [];
  incoming.on("data", (chunk) => chunks.push(chunk));
  incoming.on("end", () => {
    let opened;
    try {
      opened = decrypt(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    } catch {
      outgoing.writeHead(421).end();
      return;
    }
    outgoing.writeHead(200, { "content-type": "text/plain" });
    outgoing.end(encrypt(answer(opened.request), opened.key, opened.iv));
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}/flow`, public_key: publicKey }) + "\n");
});
