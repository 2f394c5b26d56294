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
 * Plain ES2017 in a string (served as is, no build step): keep it small and self-contained.
 */
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
    for (var i = 0; i < files.length; i++) {
      try {
        var code = await upload(files[i], {
          t: token,
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
            lastCode === 'SVD_EVIDENCE_RECEIPT_UNKNOWN') {
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
