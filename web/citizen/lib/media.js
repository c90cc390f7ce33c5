// Photos are made smaller on the phone before they are sent (a JPEG of at most 1280 px,
// quality 0.8: a cheaper upload, and the picture's metadata is left behind); a voice
// message is recorded with MediaRecorder (WebM or Ogg Opus).
export const MAX_SIDE = 1280;
export const MAX_ATTACHMENTS = 4;
export const MAX_VOICE_SECONDS = 300;

async function decode(file) {
  if (self.createImageBitmap) {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch { /* fall back to an <img> */ }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

// A picked image file → a JPEG Blob no larger than MAX_SIDE on its longest side.
export async function downscalePhoto(file) {
  const img = await decode(file);
  const w = img.width || img.naturalWidth;
  const hgt = img.height || img.naturalHeight;
  if (!w || !hgt) throw new Error('empty image');
  const scale = Math.min(1, MAX_SIDE / Math.max(w, hgt));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(hgt * scale));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  if (img.close) img.close();
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no JPEG'))), 'image/jpeg', 0.8);
  });
}

// A Blob → its bytes in base64 (as the API's attachments carry them).
export function toBase64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

export async function attachmentsBody(list) {
  return Promise.all(list.map(async (a) => ({ data: await toBase64(a.blob) })));
}

export function voiceSupported() {
  return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && self.MediaRecorder);
}

function recorderType() {
  const types = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg'];
  return types.find((type) => MediaRecorder.isTypeSupported(type));
}

// One recording: await start(); then stop() → Blob (or cancel()). onTick(seconds) each second.
export class VoiceRecorder {
  constructor({ onTick, onLimit } = {}) {
    this.onTick = onTick;
    this.onLimit = onLimit;
    this.chunks = [];
    this.seconds = 0;
  }

  async start() {
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const type = recorderType();
    this.recorder = new MediaRecorder(this.stream, type ? { mimeType: type, audioBitsPerSecond: 32000 } : {});
    this.recorder.ondataavailable = (e) => { if (e.data && e.data.size) this.chunks.push(e.data); };
    this.done = new Promise((resolve) => {
      this.recorder.onstop = () => {
        this.release();
        resolve(new Blob(this.chunks, { type: (this.recorder.mimeType || type || 'audio/webm').split(';')[0] }));
      };
    });
    this.recorder.start(1000);
    this.timer = setInterval(() => {
      this.seconds += 1;
      if (this.onTick) this.onTick(this.seconds);
      if (this.seconds >= MAX_VOICE_SECONDS) {
        if (this.onLimit) this.onLimit();
      }
    }, 1000);
  }

  stop() {
    clearInterval(this.timer);
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    return this.done;
  }

  cancel() {
    clearInterval(this.timer);
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    this.release();
  }

  release() {
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
  }
}
