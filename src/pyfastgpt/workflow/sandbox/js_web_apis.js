// Evaluated INSIDE the code node's vm context. FastGPT's code-sandbox hands user code Node's
// Buffer, TextEncoder, TextDecoder, URL and URLSearchParams; host objects must not enter the
// context, so these are small pure-JS versions built on this realm's Uint8Array (UTF-8, base64,
// base64url, hex, latin1/binary and ascii encodings; WHATWG-style URL parsing for common URLs).
(function installWebApis() {
  'use strict';
  const global = globalThis;
  const lock = (name, value) =>
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });

  function utf8Encode(text) {
    const bytes = [];
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          i++;
        }
      }
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // lone surrogate
      if (code < 0x80) bytes.push(code);
      else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
      else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
      else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    }
    return bytes;
  }

  function utf8Decode(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i];
      let need = 0;
      let code = 0;
      let low = 0x80;
      let high = 0xbf;
      if (b < 0x80) {
        out += String.fromCharCode(b);
        i++;
        continue;
      } else if (b >= 0xc2 && b <= 0xdf) [need, code] = [1, b & 31];
      else if (b >= 0xe0 && b <= 0xef) {
        [need, code] = [2, b & 15];
        if (b === 0xe0) low = 0xa0;
        if (b === 0xed) high = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        [need, code] = [3, b & 7];
        if (b === 0xf0) low = 0x90;
        if (b === 0xf4) high = 0x8f;
      } else {
        out += '\ufffd';
        i++;
        continue;
      }
      let j = 1;
      for (; j <= need; j++) {
        const c = bytes[i + j];
        if (c === undefined || c < (j === 1 ? low : 0x80) || c > (j === 1 ? high : 0xbf)) break;
        code = (code << 6) | (c & 63);
      }
      if (j <= need) {
        out += '\ufffd';
        i += j;
        continue;
      }
      out += String.fromCodePoint(code);
      i += need + 1;
    }
    return out;
  }

  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function base64Encode(bytes, url) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : url ? '' : '=';
      out += i + 2 < bytes.length ? B64[n & 63] : url ? '' : '=';
    }
    return url ? out.replace(/\+/g, '-').replace(/\//g, '_') : out;
  }
  function base64Decode(text) {
    const clean = String(text).replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
    const bytes = [];
    let bits = 0;
    let value = 0;
    for (const ch of clean) {
      value = (value << 6) | B64.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes.push((value >> bits) & 255);
      }
    }
    return bytes;
  }

  function encodeText(text, encoding) {
    switch (normalizeEncoding(encoding)) {
      case 'utf8':
        return utf8Encode(text);
      case 'base64':
        return base64Decode(text);
      case 'hex': {
        const bytes = [];
        for (let i = 0; i + 1 < text.length; i += 2) {
          const n = parseInt(text.slice(i, i + 2), 16);
          if (Number.isNaN(n)) break;
          bytes.push(n);
        }
        return bytes;
      }
      case 'latin1':
        return Array.from(text, (ch) => ch.charCodeAt(0) & 255);
      case 'ascii':
        return Array.from(text, (ch) => ch.charCodeAt(0) & 255);
      default:
        throw new TypeError('Unknown encoding: ' + encoding);
    }
  }
  function normalizeEncoding(encoding) {
    const e = String(encoding === undefined ? 'utf8' : encoding).toLowerCase();
    if (e === 'utf8' || e === 'utf-8') return 'utf8';
    if (e === 'base64' || e === 'base64url') return 'base64';
    if (e === 'binary' || e === 'latin1') return 'latin1';
    if (e === 'hex' || e === 'ascii') return e;
    return e;
  }

  class Buffer extends Uint8Array {
    static from(value, encodingOrOffset, length) {
      if (typeof value === 'string') return new Buffer(encodeText(value, encodingOrOffset));
      if (value instanceof ArrayBuffer) return new Buffer(value, encodingOrOffset || 0, length);
      if (value !== null && typeof value === 'object' && typeof value.length === 'number') return new Buffer(Array.from(value));
      if (value !== null && typeof value === 'object' && value.type === 'Buffer' && Array.isArray(value.data)) return new Buffer(value.data);
      throw new TypeError(
        'The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received ' +
          (value === null ? 'null' : typeof value)
      );
    }
    static alloc(size, fill) {
      const buffer = new Buffer(size);
      if (fill !== undefined) buffer.fill(typeof fill === 'string' ? fill.charCodeAt(0) : fill);
      return buffer;
    }
    static isBuffer(value) {
      return value instanceof Buffer;
    }
    static isEncoding(encoding) {
      return ['utf8', 'base64', 'latin1', 'hex', 'ascii'].includes(normalizeEncoding(encoding));
    }
    static byteLength(value, encoding) {
      return typeof value === 'string' ? encodeText(value, encoding).length : value.byteLength;
    }
    static concat(list, totalLength) {
      const total = totalLength === undefined ? list.reduce((sum, item) => sum + item.length, 0) : totalLength;
      const out = new Buffer(total);
      let offset = 0;
      for (const item of list) {
        if (offset >= total) break;
        out.set(item.subarray(0, total - offset), offset);
        offset += Math.min(item.length, total - offset);
      }
      return out;
    }
    toString(encoding, start = 0, end = this.length) {
      const bytes = this.subarray(start, end);
      const name = String(encoding === undefined ? 'utf8' : encoding).toLowerCase();
      if (name === 'base64url') return base64Encode(bytes, true);
      switch (normalizeEncoding(encoding)) {
        case 'utf8':
          return utf8Decode(bytes);
        case 'base64':
          return base64Encode(bytes, false);
        case 'hex':
          return Array.from(bytes, (b) => (b < 16 ? '0' : '') + b.toString(16)).join('');
        case 'latin1':
          return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
        case 'ascii':
          return Array.from(bytes, (b) => String.fromCharCode(b & 127)).join('');
        default:
          throw new TypeError('Unknown encoding: ' + encoding);
      }
    }
    toJSON() {
      return { type: 'Buffer', data: Array.from(this) };
    }
    equals(other) {
      return this.length === other.length && this.every((b, i) => b === other[i]);
    }
  }

  class TextEncoder {
    get encoding() {
      return 'utf-8';
    }
    encode(text = '') {
      return new Uint8Array(utf8Encode(String(text)));
    }
  }
  class TextDecoder {
    constructor(label = 'utf-8') {
      if (!['utf-8', 'utf8', 'unicode-1-1-utf-8'].includes(String(label).toLowerCase())) {
        throw new RangeError(`The "${label}" encoding is not supported`);
      }
    }
    get encoding() {
      return 'utf-8';
    }
    decode(input) {
      if (input === undefined) return '';
      const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      const text = utf8Decode(bytes);
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
  }

  // application/x-www-form-urlencoded, as URLSearchParams serializes it
  const formEncode = (text) =>
    encodeURIComponent(text)
      .replace(/[!'()~]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase())
      .replace(/%20/g, '+');
  function formDecode(text) {
    const bytes = [];
    const source = String(text).replace(/\+/g, ' ');
    for (let i = 0; i < source.length; i++) {
      const hex = source.slice(i + 1, i + 3);
      if (source[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(...utf8Encode(source[i] + (/[\ud800-\udbff]/.test(source[i]) ? source[++i] || '' : '')));
    }
    return utf8Decode(bytes);
  }

  const LIST = Symbol('list');
  const OWNER = Symbol('owner');
  class URLSearchParams {
    constructor(init = '') {
      this[LIST] = [];
      if (typeof init === 'string') {
        const text = init.startsWith('?') ? init.slice(1) : init;
        for (const part of text.split('&')) {
          if (!part) continue;
          const eq = part.indexOf('=');
          this[LIST].push(eq < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))]);
        }
      } else if (init && typeof init[Symbol.iterator] === 'function') {
        for (const [key, value] of init) this[LIST].push([String(key), String(value)]);
      } else if (init && typeof init === 'object') {
        for (const key of Object.keys(init)) this[LIST].push([key, String(init[key])]);
      }
    }
    get size() {
      return this[LIST].length;
    }
    append(key, value) {
      this[LIST].push([String(key), String(value)]);
      this._update();
    }
    delete(key) {
      this[LIST] = this[LIST].filter(([k]) => k !== String(key));
      this._update();
    }
    get(key) {
      const found = this[LIST].find(([k]) => k === String(key));
      return found ? found[1] : null;
    }
    getAll(key) {
      return this[LIST].filter(([k]) => k === String(key)).map(([, v]) => v);
    }
    has(key) {
      return this[LIST].some(([k]) => k === String(key));
    }
    set(key, value) {
      const index = this[LIST].findIndex(([k]) => k === String(key));
      if (index < 0) this[LIST].push([String(key), String(value)]);
      else {
        this[LIST][index] = [String(key), String(value)];
        this[LIST] = this[LIST].filter(([k], i) => k !== String(key) || i === index);
      }
      this._update();
    }
    sort() {
      this[LIST].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this._update();
    }
    forEach(callback, thisArg) {
      for (const [key, value] of this[LIST]) callback.call(thisArg, value, key, this);
    }
    keys() {
      return this[LIST].map(([k]) => k)[Symbol.iterator]();
    }
    values() {
      return this[LIST].map(([, v]) => v)[Symbol.iterator]();
    }
    entries() {
      return this[LIST].map(([k, v]) => [k, v])[Symbol.iterator]();
    }
    [Symbol.iterator]() {
      return this.entries();
    }
    toString() {
      return this[LIST].map(([k, v]) => formEncode(k) + '=' + formEncode(v)).join('&');
    }
    _update() {
      if (this[OWNER]) this[OWNER]._search = this[LIST].length ? '?' + this.toString() : '';
    }
  }

  const DEFAULT_PORTS = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21' };
  const URL_PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?:\/\/(?:([^/?#@]*)@)?(\[[^\]]*\]|[^/?#:]*)(?::(\d*))?)?([^?#]*)(\?[^#]*)?(#.*)?$/;
  function removeDotSegments(path) {
    const out = [];
    const parts = path.split('/');
    parts.forEach((part, i) => {
      if (part === '..') {
        if (out.length > 1) out.pop();
        if (i === parts.length - 1) out.push('');
      } else if (part === '.') {
        if (i === parts.length - 1) out.push('');
      } else out.push(part);
    });
    return out.join('/') || '/';
  }
  class URL {
    constructor(input, base) {
      let text = String(input).trim();
      if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text)) {
        if (base === undefined) throw new TypeError('Invalid URL');
        const root = base instanceof URL ? base : new URL(base);
        if (text.startsWith('//')) text = root.protocol + text;
        else if (text.startsWith('/')) text = root.origin + text;
        else if (text.startsWith('?')) text = root.origin + root.pathname + text;
        else if (text.startsWith('#')) text = root.origin + root.pathname + root.search + text;
        else text = root.origin + root.pathname.replace(/[^/]*$/, '') + text;
      }
      const match = URL_PATTERN.exec(text);
      if (!match) throw new TypeError('Invalid URL');
      const [, protocol, userinfo = '', host = '', port = '', path = '', search = '', hash = ''] = match;
      this._protocol = protocol.toLowerCase();
      const special = this._protocol in DEFAULT_PORTS || this._protocol === 'file:';
      if (special && this._protocol !== 'file:' && !host) throw new TypeError('Invalid URL');
      const [user = '', pass = ''] = userinfo ? userinfo.split(':') : [];
      this._username = user;
      this._password = pass;
      this._hostname = special ? host.toLowerCase() : host;
      this._port = port === DEFAULT_PORTS[this._protocol] ? '' : port;
      this._pathname = special ? removeDotSegments(path.replace(/\\/g, '/') || '/') : path;
      this._search = search.length > 1 ? search.replace(/ /g, '%20') : '';
      this._hash = hash.length > 1 ? hash.replace(/ /g, '%20') : '';
      this._pathname = this._pathname.replace(/ /g, '%20');
      this._params = new URLSearchParams(this._search);
      this._params[OWNER] = this;
    }
    get protocol() { return this._protocol; }
    get username() { return this._username; }
    get password() { return this._password; }
    get hostname() { return this._hostname; }
    set hostname(value) { this._hostname = String(value).toLowerCase(); }
    get port() { return this._port; }
    set port(value) { this._port = String(value) === DEFAULT_PORTS[this._protocol] ? '' : String(value); }
    get host() { return this._hostname + (this._port ? ':' + this._port : ''); }
    get origin() { return this._protocol in DEFAULT_PORTS ? this._protocol + '//' + this.host : 'null'; }
    get pathname() { return this._pathname; }
    set pathname(value) { this._pathname = String(value).startsWith('/') ? String(value) : '/' + value; }
    get search() { return this._search; }
    set search(value) {
      const text = String(value);
      this._search = text && text !== '?' ? (text.startsWith('?') ? text : '?' + text) : '';
      this._params = new URLSearchParams(this._search);
      this._params[OWNER] = this;
    }
    get searchParams() { return this._params; }
    get hash() { return this._hash; }
    set hash(value) { const text = String(value); this._hash = text && text !== '#' ? (text.startsWith('#') ? text : '#' + text) : ''; }
    get href() {
      const auth = this._username ? this._username + (this._password ? ':' + this._password : '') + '@' : '';
      const authority = this._hostname || this._protocol in DEFAULT_PORTS || this._protocol === 'file:' ? '//' + auth + this.host : '';
      return this._protocol + authority + this._pathname + this._search + this._hash;
    }
    toString() { return this.href; }
    toJSON() { return this.href; }
  }

  lock('Buffer', Buffer);
  lock('TextEncoder', TextEncoder);
  lock('TextDecoder', TextDecoder);
  lock('URLSearchParams', URLSearchParams);
  lock('URL', URL);
});
