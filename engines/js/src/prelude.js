// The globals of a script, over the host functions of `lib.rs` (`h`). Evaluated once per
// run before the script; returns what the Rust side needs to finish the run.
(function (h) {
  'use strict';

  const FS_MESSAGES = {
    ENOENT: 'no such file or directory',
    EEXIST: 'file already exists',
    ENOTDIR: 'not a directory',
    EISDIR: 'illegal operation on a directory',
    ENOTEMPTY: 'directory not empty',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EINVAL: 'invalid argument',
    ELOOP: 'too many symbolic links encountered',
    ENAMETOOLONG: 'name too long',
    ENOSPC: 'no space left on device',
    EFBIG: 'file too large',
    EMFILE: 'too many open files',
    EXDEV: 'cross-device link not permitted',
    EBUSY: 'resource busy or locked',
    EBADF: 'bad file descriptor',
    EILSEQ: 'illegal byte sequence (the file is not UTF-8 text)',
    ENOTSUP: 'operation not supported',
    EIO: 'i/o error',
  };

  // Run a host call; a thrown code string becomes a Node-like Error with `code`.
  function fsCall(syscall, path, f) {
    try {
      return f();
    } catch (e) {
      if (typeof e !== 'string') throw e;
      const err = new Error(`${e}: ${FS_MESSAGES[e] || 'error'}, ${syscall} '${path}'`);
      err.code = e;
      err.syscall = syscall;
      err.path = path;
      throw err;
    }
  }

  function str(path, what) {
    if (typeof path !== 'string') throw new TypeError(`${what || 'path'} must be a string`);
    return path;
  }

  function encodingOf(opt) {
    if (opt === undefined || opt === null) return 'utf8';
    if (typeof opt === 'string') return opt;
    if (typeof opt === 'object' && opt.encoding !== undefined && opt.encoding !== null) {
      return opt.encoding;
    }
    if (typeof opt === 'object' && opt.encoding === null) return 'bytes';
    return 'utf8';
  }

  function write(path, data, append) {
    str(path);
    if (data instanceof ArrayBuffer) data = new Uint8Array(data);
    else if (ArrayBuffer.isView(data) && !(data instanceof Uint8Array)) {
      data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    }
    if (data instanceof Uint8Array) {
      return fsCall(append ? 'appendFile' : 'writeFile', path, () => h.writeBytes(path, data, append));
    }
    const text = typeof data === 'string' ? data : String(data);
    return fsCall(append ? 'appendFile' : 'writeFile', path, () => h.writeText(path, text, append));
  }

  function statObject(m) {
    const s = {
      type: m.type,
      size: m.size,
      mode: m.mode,
      ino: m.ino,
      nlink: m.nlink,
      mtimeMs: m.mtimeMs,
      atimeMs: m.atimeMs,
      ctimeMs: m.ctimeMs,
    };
    Object.defineProperties(s, {
      isFile: { value: () => m.type === 'file' },
      isDirectory: { value: () => m.type === 'directory' },
      isSymbolicLink: { value: () => m.type === 'symlink' },
    });
    return s;
  }

  const fs = {
    readFile(path, encoding) {
      str(path);
      const enc = encodingOf(encoding);
      if (enc === 'bytes' || enc === 'binary' || enc === 'buffer') {
        return fsCall('open', path, () => h.readBytes(path));
      }
      if (enc !== 'utf8' && enc !== 'utf-8') {
        throw new TypeError(`unsupported encoding '${enc}' (use "utf8" or "bytes")`);
      }
      return fsCall('open', path, () => h.readText(path));
    },
    writeFile(path, data) {
      write(path, data, false);
    },
    appendFile(path, data) {
      write(path, data, true);
    },
    readdir(path, options) {
      str(path);
      const entries = fsCall('scandir', path, () => h.readdir(path));
      if (options && options.withFileTypes) {
        return entries.map((e) => {
          const d = { name: e.name, type: e.type };
          Object.defineProperties(d, {
            isFile: { value: () => e.type === 'file' },
            isDirectory: { value: () => e.type === 'directory' },
            isSymbolicLink: { value: () => e.type === 'symlink' },
          });
          return d;
        });
      }
      return entries.map((e) => e.name);
    },
    stat(path) {
      str(path);
      return statObject(fsCall('stat', path, () => h.stat(path, false)));
    },
    lstat(path) {
      str(path);
      return statObject(fsCall('lstat', path, () => h.stat(path, true)));
    },
    mkdir(path, options) {
      str(path);
      fsCall('mkdir', path, () => h.mkdir(path, !!(options && options.recursive)));
    },
    rm(path, options) {
      str(path);
      const recursive = !!(options && options.recursive);
      try {
        fsCall('rm', path, () => h.rm(path, recursive));
      } catch (e) {
        if (!(options && options.force && e.code === 'ENOENT')) throw e;
      }
    },
    rename(from, to) {
      str(from, 'from');
      str(to, 'to');
      fsCall('rename', from, () => h.rename(from, to));
    },
    copyFile(from, to) {
      str(from, 'from');
      str(to, 'to');
      fsCall('copyfile', from, () => h.copy(from, to, false));
    },
    cp(from, to, options) {
      str(from, 'from');
      str(to, 'to');
      fsCall('cp', from, () => h.copy(from, to, !!(options && options.recursive)));
    },
    symlink(target, path) {
      str(target, 'target');
      str(path);
      fsCall('symlink', path, () => h.symlink(target, path));
    },
    readlink(path) {
      str(path);
      return fsCall('readlink', path, () => h.readlink(path));
    },
    realpath(path) {
      str(path);
      return fsCall('realpath', path, () => h.realpath(path));
    },
    glob(pattern) {
      str(pattern, 'pattern');
      return fsCall('glob', pattern, () => h.glob(pattern));
    },
    exists(path) {
      str(path);
      return h.exists(path);
    },
    readJson(path) {
      return JSON.parse(fs.readFile(path, 'utf8'));
    },
    writeJson(path, value, space) {
      const text = JSON.stringify(value, null, space === undefined ? 2 : space);
      if (text === undefined) throw new TypeError('the value has no JSON text');
      fs.writeFile(path, text + '\n');
    },
  };

  const sh = {
    run(script, options) {
      str(script, 'script');
      const o = options || {};
      const env = [];
      if (o.env) {
        for (const k of Object.keys(o.env)) env.push(String(k), String(o.env[k]));
      }
      let stdinText = null;
      let stdinBytes = null;
      if (o.stdin !== undefined && o.stdin !== null) {
        if (o.stdin instanceof Uint8Array) stdinBytes = o.stdin;
        else stdinText = String(o.stdin);
      }
      const timeout = typeof o.timeoutMs === 'number' ? o.timeoutMs : null;
      const cwd = o.cwd === undefined || o.cwd === null ? null : String(o.cwd);
      return h.sh(script, cwd, env, stdinText, stdinBytes, timeout);
    },
  };

  function toolError(name, p) {
    const err = new Error(`${name}: ${p.title} (${p.status}): ${p.detail}`);
    err.name = 'ToolError';
    err.tool = name;
    err.problem = { type: p.type, title: p.title, status: p.status, detail: p.detail };
    return err;
  }

  function callTool(name, args) {
    const text = JSON.stringify(args === undefined ? {} : args);
    let out;
    try {
      out = h.toolCall(String(name), text === undefined ? '{}' : text);
    } catch (e) {
      if (e && typeof e === 'object' && typeof e.type === 'string' && !(e instanceof Error)) {
        throw toolError(name, e);
      }
      throw e;
    }
    try {
      return JSON.parse(out);
    } catch (_) {
      return out;
    }
  }

  const declared = h.toolList();
  const tools = {};
  Object.defineProperties(tools, {
    call: { value: async (name, args) => callTool(name, args), enumerable: false },
    list: {
      value: () =>
        declared.map((t) => {
          let schema;
          try {
            schema = JSON.parse(t.inputSchema);
          } catch (_) {
            schema = {};
          }
          return { name: t.name, description: t.description, inputSchema: schema };
        }),
      enumerable: false,
    },
  });
  for (const t of declared) {
    if (t.name === 'call' || t.name === 'list') continue;
    const name = t.name;
    tools[name] = async (args) => callTool(name, args);
  }
  Object.freeze(tools);

  function inspect(v, seen) {
    if (typeof v === 'string') return v;
    if (typeof v === 'function') return `[Function: ${v.name || '(anonymous)'}]`;
    if (typeof v === 'symbol' || typeof v === 'bigint') return v.toString() + (typeof v === 'bigint' ? 'n' : '');
    if (v === undefined) return 'undefined';
    if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack}`.trimEnd() : `${v.name}: ${v.message}`;
    if (typeof v !== 'object' || v === null) return String(v);
    try {
      const t = JSON.stringify(v);
      return t === undefined ? String(v) : t;
    } catch (_) {
      return String(v);
    }
  }

  // Node's util.format for the common cases: %s %d %i %f %j %o %O %c %%, then the
  // remaining arguments separated by spaces.
  function format(args) {
    let out = '';
    let i = 0;
    if (typeof args[0] === 'string' && args.length > 1 && args[0].includes('%')) {
      const f = args[0];
      i = 1;
      let k = 0;
      while (k < f.length) {
        const c = f[k];
        if (c === '%' && k + 1 < f.length) {
          const d = f[k + 1];
          if (d === '%') {
            out += '%';
            k += 2;
            continue;
          }
          if ('sdifjoOc'.includes(d)) {
            if (i >= args.length) {
              out += c + d;
            } else {
              const a = args[i++];
              if (d === 's') out += typeof a === 'string' ? a : inspect(a);
              else if (d === 'd') out += typeof a === 'object' && a !== null ? 'NaN' : String(Number(a));
              else if (d === 'i') out += String(parseInt(a));
              else if (d === 'f') out += String(parseFloat(a));
              else if (d === 'j') out += JSON.stringify(a);
              else if (d === 'c') out += '';
              else out += inspect(a);
            }
            k += 2;
            continue;
          }
        }
        out += c;
        k += 1;
      }
    } else if (args.length > 0) {
      out = inspect(args[0]);
      i = 1;
    }
    for (; i < args.length; i++) out += ' ' + inspect(args[i]);
    return out;
  }

  const console = {};
  for (const [method, level] of [
    ['log', 'info'],
    ['info', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['debug', 'debug'],
    ['trace', 'trace'],
  ]) {
    console[method] = (...args) => h.log(level, format(args));
  }

  // Timers on a virtual clock: a timer fires when no promise job is left, earliest first.
  let now = 0;
  let nextId = 1;
  const timers = new Map();
  function setTimeout(fn, ms, ...args) {
    const id = nextId++;
    const delay = Math.max(0, Number(ms) || 0);
    timers.set(id, { at: now + delay, seq: id, fn, args });
    return id;
  }
  function clearTimeout(id) {
    timers.delete(id);
  }
  function nextTimer() {
    let best = null;
    for (const [id, t] of timers) {
      if (best === null || t.at < best[1].at || (t.at === best[1].at && t.seq < best[1].seq)) {
        best = [id, t];
      }
    }
    if (best === null) return false;
    timers.delete(best[0]);
    now = Math.max(now, best[1].at);
    if (typeof best[1].fn === 'function') best[1].fn(...best[1].args);
    return true;
  }

  function define(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
  }
  // Seeded per run by the host side (a snapshot would give QuickJS's own the same seed
  // in every run).
  Object.defineProperty(Math, 'random', {
    value: function random() { return h.random(); },
    writable: true,
    configurable: true,
    enumerable: false,
  });
  define('fs', fs);
  define('sh', sh);
  define('tools', tools);
  define('console', console);
  define('setTimeout', setTimeout);
  define('clearTimeout', clearTimeout);

  function errorJson(e) {
    let out;
    if (e instanceof Error) {
      out = { name: String(e.name), message: String(e.message), stack: String(e.stack || '') };
      if (e.code !== undefined) out.code = e.code;
      if (e.problem !== undefined) out.problem = e.problem;
    } else {
      out = { name: 'Error', message: 'Uncaught ' + inspect(e), stack: '' };
    }
    return JSON.stringify(out);
  }

  async function finish(evaluated, wrapped) {
    try {
      let v = await evaluated;
      if (!wrapped) v = await v.value;
      const text = JSON.stringify(v);
      return { ok: true, text: text === undefined ? 'null' : text };
    } catch (e) {
      return { ok: false, text: errorJson(e) };
    }
  }

  return { finish, errorJson, nextTimer };
})
