// The proof of work asked for by receipt checks while the server is under a guessing
// attack: a nonce such that SHA-256(challenge ":" nonce) starts with `bits` zero bits.
const encoder = new TextEncoder();

function zeroBits(bytes) {
  let n = 0;
  for (const b of bytes) {
    if (b === 0) { n += 8; continue; }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

async function digest(text) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

// → the nonce (a decimal string). Tries a batch of nonces at once to keep it quick.
export async function solve(challenge, bits, { batch = 256 } = {}) {
  if (!(self.crypto && crypto.subtle)) throw new Error('no WebCrypto');
  for (let start = 0; start < 2 ** 32; start += batch) {
    const nonces = Array.from({ length: batch }, (_, i) => String(start + i));
    const hashes = await Promise.all(nonces.map((n) => digest(`${challenge}:${n}`)));
    const i = hashes.findIndex((d) => zeroBits(d) >= bits);
    if (i >= 0) return nonces[i];
  }
  throw new Error('no nonce found');
}

export { zeroBits };
