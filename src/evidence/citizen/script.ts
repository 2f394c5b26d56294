/**
 * /submit.js: the citizen page's optional script, served as a file (the CSP allows only scripts from
 * this origin, never inline ones). It turns the form into resumable uploads (tus 1.0 at /submit/tus):
 * one upload per chosen file, sent in 8 MB PATCHes with a progress bar each; after a network error it
 * asks the server for the offset (HEAD) and continues from there, waiting a little longer each time.
 * It keeps nothing on the device (no storage, no cookies), sends no file names, talks to no other
 * origin, and shows the receipt code at the end in the page's language. The first file's answer gives
 * the receipt code; the others are sent with it, so they join the same submission (as the form does).
 * Without JavaScript, or in a browser lacking what it needs, the form posts as before.
 *
 * Before its first upload, a form token needs a small proof of work (see upload-allowance.ts): the
 * script starts solving it when the page loads, with its own SHA-256 (WebCrypto is missing outside
 * secure contexts, e.g. plain-HTTP onion addresses), in slices that keep the page responsive.
 *
 * Plain ES2017 in a string (served as is, no build step): keep it small and self-contained.
 */

/** `sha256First(bytes)`: the first 32-bit word of the SHA-256 of a byte array (all the proof needs). */
export const SHA256_FIRST_JS = `var SHA256_K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  var SHA256_W = new Int32Array(64);
  function sha256First(bytes) {
    var length = bytes.length;
    var blocks = (length + 9 + 63) >> 6;
    var words = new Int32Array(blocks * 16);
    for (var i = 0; i < length; i++) words[i >> 2] |= bytes[i] << (24 - (i & 3) * 8);
    words[length >> 2] |= 0x80 << (24 - (length & 3) * 8);
    words[blocks * 16 - 1] = length * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = SHA256_W;
    for (var block = 0; block < blocks; block++) {
      var t;
      for (t = 0; t < 16; t++) w[t] = words[block * 16 + t];
      for (t = 16; t < 64; t++) {
        var x = w[t - 15], y = w[t - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (k + S1 + ((e & f) ^ (~e & g)) + SHA256_K[t] + w[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h[0] >>> 0;
  }`;

export const SUBMIT_JS = `(function () {
  'use strict';
  var form = document.getElementById('submit-form');
  var list = document.getElementById('uploads');
  if (!form || !list || !window.XMLHttpRequest || !window.Promise || !window.TextEncoder ||
      !window.Blob || !Blob.prototype.slice) return;
  var texts;
  try { texts = JSON.parse(form.getAttribute('data-i18n') || '{}'); } catch (e) { return; }
  var CHUNK = 8 * 1024 * 1024;
  var DELAYS = [1000, 2000, 4000, 8000, 15000, 30000, 30000, 60000, 60000, 60000, 60000, 60000];
  ${SHA256_FIRST_JS}

  /** The form token's proof of work: a counter whose SHA-256(token.counter) starts with enough zero bits. */
  function solve(token, bits) {
    return new Promise(function (resolve) {
      var counter = 0;
      function slice() {
        for (var end = counter + 5000; counter < end; counter++) {
          var message = token + '.' + counter;
          var bytes = new Uint8Array(message.length);
          for (var i = 0; i < message.length; i++) bytes[i] = message.charCodeAt(i) & 0xff;
          if (bits <= 0 || (sha256First(bytes) >>> (32 - bits)) === 0) { resolve(String(counter)); return; }
        }
        setTimeout(slice, 0);
      }
      slice();
    });
  }
  var proof = solve(form.elements.t.value, Number(form.getAttribute('data-proof-bits') || '0'));

  function text(key, values) {
    var value = texts[key] || texts.other || key;
    for (var name in values || {}) value = value.split('{' + name + '}').join(String(values[name]));
    return value;
  }
  function base64(value) {
    var bytes = new TextEncoder().encode(value);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  }
  function metadataHeader(fields) {
    var pairs = [];
    for (var name in fields) if (fields[name]) pairs.push(name + ' ' + base64(fields[name]));
    return pairs.join(',');
  }
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }
  function send(method, url, headers, body, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader('Tus-Resumable', '1.0.0');
      for (var name in headers) xhr.setRequestHeader(name, headers[name]);
      if (onProgress && xhr.upload) xhr.upload.onprogress = function (event) { onProgress(event.loaded); };
      xhr.onload = function () {
        resolve({ status: xhr.status, body: xhr.responseText,
          header: function (name) { return xhr.getResponseHeader(name); } });
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = function () {
        resolve({ status: 0, body: '', header: function () { return null; } });
      };
      xhr.send(body === undefined ? null : body);
    });
  }
  function codeOf(answer) {
    try {
      var parsed = JSON.parse(answer.body);
      if (parsed && parsed.error && parsed.error.code) return parsed.error.code;
    } catch (e) {}
    if (answer.status === 413) return 'SVD_BLOB_TOO_LARGE';
    if (answer.status === 429) return 'SVD_EVIDENCE_BUSY';
    return 'other';
  }
  function retryable(status) { return status === 0 || status === 409 || status === 423 || status >= 502; }
  function Failure(code) { this.code = code; }

  function row(file) {
    var item = document.createElement('li');
    var name = document.createElement('span');
    name.className = 'name';
    name.textContent = file.name;
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    var state = document.createElement('span');
    state.className = 'state';
    state.textContent = text('sending');
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(state);
    list.appendChild(item);
    return {
      progress: function (done, total) {
        var percent = total > 0 ? Math.floor((done / total) * 100) : 100;
        bar.value = percent;
        state.textContent = text('sending') + ' ' + percent + ' %';
      },
      say: function (message, failed) {
        state.textContent = message;
        if (failed) state.className = 'state failed';
      },
    };
  }

  /** Waits, then asks where the upload stands; gives the offset, or the receipt if it finished. */
  async function recover(url, view, attempt) {
    for (;;) {
      if (attempt.count >= DELAYS.length) throw new Failure('network');
      var delay = DELAYS[attempt.count++];
      view.say(text('retrying', { s: Math.round(delay / 1000) }));
      await sleep(delay);
      var head = await send('HEAD', url, {});
      if (head.status === 200) {
        return { offset: Number(head.header('Upload-Offset')), receipt: head.header('Submit-Receipt') };
      }
      if (!retryable(head.status)) throw new Failure(head.status === 404 || head.status === 410 ? 'other' : codeOf(head));
    }
  }

  async function upload(file, fields, view) {
    var attempt = { count: 0 };
    var created;
    for (;;) {
      created = await send('POST', '/submit/tus', {
        'Upload-Length': String(file.size),
        'Upload-Metadata': metadataHeader(fields),
      });
      if (created.status === 201 || !retryable(created.status)) break;
      if (attempt.count >= DELAYS.length) throw new Failure('network');
      view.say(text('retrying', { s: Math.round(DELAYS[attempt.count] / 1000) }));
      await sleep(DELAYS[attempt.count++]);
    }
    if (created.status !== 201) throw new Failure(codeOf(created));
    if (created.header('Submit-Receipt')) return created.header('Submit-Receipt');
    var url = created.header('Location');
    var offset = 0;
    for (;;) {
      var start = offset;
      var answer = await send('PATCH', url,
        { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        file.slice(offset, Math.min(offset + CHUNK, file.size)),
        function (loaded) { view.progress(start + loaded, file.size); });
      if (answer.status === 204) {
        attempt.count = 0;
        offset = Number(answer.header('Upload-Offset'));
        view.progress(offset, file.size);
        if (offset >= file.size) {
          if (answer.header('Submit-Receipt')) return answer.header('Submit-Receipt');
          throw new Failure('other');
        }
        continue;
      }
      if (!retryable(answer.status)) throw new Failure(codeOf(answer));
      var state = await recover(url, view, attempt);
      if (state.receipt) return state.receipt;
      offset = state.offset;
      view.progress(offset, file.size);
    }
  }

  function finish(receipt, received, failed) {
    var lang = form.elements.lang ? form.elements.lang.value : 'be';
    var box = document.createElement('div');
    var thanks = document.createElement('p');
    thanks.textContent = text('done', { n: received });
    box.appendChild(thanks);
    var code = document.createElement('p');
    code.className = 'code';
    code.id = 'receipt-code';
    code.textContent = receipt;
    box.appendChild(code);
    var keep = document.createElement('p');
    keep.textContent = text('keep');
    box.appendChild(keep);
    if (failed > 0) {
      var warning = document.createElement('p');
      warning.className = 'err';
      warning.textContent = text('notAll');
      box.appendChild(warning);
    }
    var again = document.createElement('a');
    again.href = '/submit?lang=' + encodeURIComponent(lang);
    again.textContent = text('again');
    var line = document.createElement('p');
    line.appendChild(again);
    box.appendChild(line);
    form.parentNode.replaceChild(box, form);
  }

  function problem(message) {
    var old = document.getElementById('submit-problem');
    if (old) old.parentNode.removeChild(old);
    var note = document.createElement('p');
    note.className = 'err';
    note.id = 'submit-problem';
    note.setAttribute('role', 'alert');
    note.textContent = message;
    form.parentNode.insertBefore(note, form);
  }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(form.elements.files.files || []);
    if (files.length === 0) { problem(text('SVD_EVIDENCE_NO_FILE')); return; }
    var button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    while (list.firstChild) list.removeChild(list.firstChild);
    var token = form.elements.t.value;
    var note = form.elements.note.value.trim();
    var contact = form.elements.contact.value.trim();
    var receipt = form.elements.receipt.value.trim();
    var received = 0;
    var failed = 0;
    var lastCode = 'other';
    var views = files.map(row);
    views.forEach(function (view) { view.say(text('preparing')); });
    var solved = await proof;
    for (var i = 0; i < files.length; i++) {
      try {
        var code = await upload(files[i], {
          t: token,
          p: solved,
          note: note,
          // The contact goes with the first file of a new submission only, as the form does.
          contact: receipt ? '' : contact,
          receipt: receipt,
        }, views[i]);
        receipt = receipt || code;
        received++;
        views[i].progress(1, 1);
        views[i].say(text('received'));
      } catch (error) {
        failed++;
        lastCode = error instanceof Failure ? error.code : 'other';
        views[i].say(text('failed', { reason: text(lastCode) }), true);
        if (lastCode === 'SVD_EVIDENCE_FORM_EXPIRED' || lastCode === 'SVD_EVIDENCE_BUSY' ||
            lastCode === 'SVD_EVIDENCE_RECEIPT_UNKNOWN' || lastCode === 'SVD_EVIDENCE_PROOF_REQUIRED' ||
            lastCode === 'SVD_EVIDENCE_FORM_BUSY') {
          for (var j = i + 1; j < files.length; j++) { failed++; views[j].say(text('failed', { reason: text(lastCode) }), true); }
          break;
        }
      }
    }
    if (received > 0) { finish(receipt, received, failed); return; }
    problem(text(lastCode));
    if (button) button.disabled = false;
  });
})();
`;
