"""The sandbox for Python programs: ``fs``, ``sh``, ``tools`` and ``log`` over the imports
of the ``agent`` world (wit/sandbox.wit).

A program gets these as globals; a module of its own can ``from agentsh import fs, sh,
tools, log``. Plain ``open()``, ``os`` and ``pathlib`` work on the same filesystem
through WASI.

- ``fs``: the sandbox filesystem, a snake_case mirror of the JavaScript ``fs``. Failures
  raise Python's own ``OSError`` subclasses (``FileNotFoundError``, ``FileExistsError``,
  ``NotADirectoryError``, ``IsADirectoryError``, ``PermissionError``...) with ``errno``
  and the path as ``filename``.
- ``sh.run(script, cwd=None, env=None, stdin=None, timeout_ms=None)``: the sandbox's
  bash; a ``ShellResult`` with ``stdout``, ``stderr`` and ``status``.
- ``tools``: ``tools.NAME(**args)`` or ``tools.NAME(args_dict)`` for each declared tool,
  ``tools.call(name, args)``, ``tools.list()``; a failure raises ``ToolError``.
- ``log``: ``log.info(*values, **fields)`` and ``trace``/``debug``/``warn``/``error``
  into the run's logs (``print`` goes to standard output).
"""

import errno as _errno
import json as _json
import os as _os

from componentize_py_types import Err as _Err
from wit_world.imports import filesystem as _fs
from wit_world.imports import log as _log
from wit_world.imports import shell as _shell
from wit_world.imports import tools as _tools

__all__ = ["fs", "sh", "tools", "log", "ToolError", "Stat", "DirEntry", "ShellResult"]

_E = _fs.ErrorCode
_ERRNO = {
    _E.NOT_FOUND: _errno.ENOENT,
    _E.ALREADY_EXISTS: _errno.EEXIST,
    _E.NOT_A_DIRECTORY: _errno.ENOTDIR,
    _E.IS_A_DIRECTORY: _errno.EISDIR,
    _E.NOT_EMPTY: _errno.ENOTEMPTY,
    _E.ACCESS_DENIED: _errno.EACCES,
    _E.NOT_PERMITTED: _errno.EPERM,
    _E.READ_ONLY: _errno.EROFS,
    _E.INVALID: _errno.EINVAL,
    _E.LOOP: _errno.ELOOP,
    _E.NAME_TOO_LONG: _errno.ENAMETOOLONG,
    _E.NO_SPACE: _errno.ENOSPC,
    _E.FILE_TOO_LARGE: _errno.EFBIG,
    _E.TOO_MANY_OPEN_FILES: _errno.EMFILE,
    _E.CROSS_DEVICE: _errno.EXDEV,
    _E.BUSY: _errno.EBUSY,
    _E.BAD_DESCRIPTOR: _errno.EBADF,
    _E.ILLEGAL_BYTE_SEQUENCE: _errno.EILSEQ,
    _E.UNSUPPORTED: _errno.ENOTSUP,
    _E.IO: _errno.EIO,
}

_TYPES = {
    _fs.FileType.REGULAR_FILE: "file",
    _fs.FileType.DIRECTORY: "directory",
    _fs.FileType.SYMBOLIC_LINK: "symlink",
    _fs.FileType.OTHER: "other",
}


def _path(p, what="path"):
    try:
        p = _os.fspath(p)
    except TypeError:
        raise TypeError(
            f"{what} should be a str or os.PathLike, not {type(p).__name__}"
        ) from None
    if isinstance(p, bytes):
        p = _os.fsdecode(p)
    return p


def _abs(p, what="path"):
    """A path for the imports, which take relative paths from ``/``: relative to the
    working directory instead, as ``open()`` takes them."""
    p = _path(p, what)
    if p and not p.startswith("/"):
        cwd = _os.getcwd()
        if cwd != "/":
            return cwd.rstrip("/") + "/" + p
    return p


def _call(f, path, *args, path2=None):
    """Call an import; its error code becomes the OSError Python raises for that errno
    (``OSError(ENOENT, ...)`` is a ``FileNotFoundError``)."""
    try:
        return f(*args)
    except _Err as e:
        code = _ERRNO.get(e.value, _errno.EIO)
        if path2 is None:
            raise OSError(code, _os.strerror(code), path) from None
        raise OSError(code, _os.strerror(code), path, None, path2) from None


class Stat:
    """What ``fs.stat`` and ``fs.lstat`` report."""

    __slots__ = ("type", "size", "mode", "ino", "nlink", "mtime_ms", "atime_ms", "ctime_ms")

    def __init__(self, m):
        self.type = _TYPES.get(m.file_type, "other")
        self.size = m.size
        self.mode = m.mode
        self.ino = m.ino
        self.nlink = m.nlink
        self.mtime_ms = m.mtime_ns / 1e6
        self.atime_ms = m.atime_ns / 1e6
        self.ctime_ms = m.ctime_ns / 1e6

    def is_file(self):
        return self.type == "file"

    def is_dir(self):
        return self.type == "directory"

    def is_symlink(self):
        return self.type == "symlink"

    def to_dict(self):
        """The fields as a dict (also what a program's JSON result shows)."""
        return {k: getattr(self, k) for k in self.__slots__}

    def __repr__(self):
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__)
        return f"Stat({fields})"

    def __eq__(self, other):
        return isinstance(other, Stat) and self.to_dict() == other.to_dict()


class DirEntry:
    """One entry of ``fs.readdir(path, with_file_types=True)``."""

    __slots__ = ("name", "type")

    def __init__(self, name, type):
        self.name = name
        self.type = type

    def is_file(self):
        return self.type == "file"

    def is_dir(self):
        return self.type == "directory"

    def is_symlink(self):
        return self.type == "symlink"

    def to_dict(self):
        return {"name": self.name, "type": self.type}

    def __repr__(self):
        return f"DirEntry(name={self.name!r}, type={self.type!r})"

    def __eq__(self, other):
        return isinstance(other, DirEntry) and self.to_dict() == other.to_dict()


def _data(data, encoding):
    if isinstance(data, str):
        return data.encode(encoding)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"data must be str or bytes-like, not {type(data).__name__}")


class _Fs:
    """The sandbox filesystem (paths relative to ``/``)."""

    def read_file(self, path, encoding="utf8", errors="strict"):
        """The file's text (``encoding``: any Python codec), or its bytes with
        ``encoding="bytes"`` (or ``None``)."""
        path = _path(path)
        data = _call(_fs.read, path, _abs(path))
        if encoding is None or encoding == "bytes":
            return data
        return data.decode(encoding, errors)

    def write_file(self, path, data, encoding="utf8"):
        """Create or replace a file with ``data`` (str, encoded with ``encoding``, or bytes)."""
        path = _path(path)
        _call(_fs.write, path, _abs(path), _data(data, encoding))

    def append_file(self, path, data, encoding="utf8"):
        """Append ``data`` to a file, creating it when missing."""
        path = _path(path)
        _call(_fs.append, path, _abs(path), _data(data, encoding))

    def readdir(self, path=".", with_file_types=False):
        """The names in a directory, sorted; ``DirEntry`` objects with ``with_file_types``."""
        path = _path(path)
        entries = _call(_fs.list, path, _abs(path))
        if with_file_types:
            return [DirEntry(e.name, _TYPES.get(e.file_type, "other")) for e in entries]
        return [e.name for e in entries]

    def stat(self, path):
        """Metadata, following symlinks."""
        path = _path(path)
        return Stat(_call(_fs.stat, path, _abs(path)))

    def lstat(self, path):
        """Metadata of a symlink itself."""
        path = _path(path)
        return Stat(_call(_fs.lstat, path, _abs(path)))

    def mkdir(self, path, recursive=False):
        """Make a directory; with ``recursive``, its parents too and no error if it exists."""
        path = _path(path)
        _call(_fs.mkdir, path, _abs(path), bool(recursive))

    def rm(self, path, recursive=False, force=False):
        """Remove a file, a symlink or an empty directory; a whole tree with ``recursive``;
        no error for a missing path with ``force``."""
        path = _path(path)
        try:
            _call(_fs.remove, path, _abs(path), bool(recursive))
        except FileNotFoundError:
            if not force:
                raise

    def rename(self, src, dst):
        """Rename or move, with POSIX ``rename`` rules."""
        src, dst = _path(src, "src"), _path(dst, "dst")
        _call(_fs.rename, src, _abs(src), _abs(dst), path2=dst)

    def copy_file(self, src, dst):
        """Copy one file."""
        src, dst = _path(src, "src"), _path(dst, "dst")
        _call(_fs.copy, src, _abs(src), _abs(dst), False, path2=dst)

    def cp(self, src, dst, recursive=False):
        """Copy a file, or a directory tree with ``recursive``."""
        src, dst = _path(src, "src"), _path(dst, "dst")
        _call(_fs.copy, src, _abs(src), _abs(dst), bool(recursive), path2=dst)

    def symlink(self, target, path):
        """Make ``path`` a symbolic link to ``target``."""
        target, path = _path(target, "target"), _path(path)
        _call(_fs.symlink, path, target, _abs(path))

    def readlink(self, path):
        """A symbolic link's target."""
        path = _path(path)
        return _call(_fs.readlink, path, _abs(path))

    def realpath(self, path):
        """The absolute path with every symlink, ``.`` and ``..`` resolved."""
        path = _path(path)
        return _call(_fs.realpath, path, _abs(path))

    def glob(self, pattern):
        """Paths matching a shell pattern (``*``, ``?``, ``[...]``, ``**`` for any depth),
        sorted."""
        pattern = _path(pattern, "pattern")
        full = _abs(pattern, "pattern")
        found = _call(_fs.glob, pattern, full)
        if full == pattern:
            return found
        # A relative pattern gives paths relative to the working directory, as glob.glob.
        prefix = full[: len(full) - len(pattern)]
        return [p[len(prefix) :] if p.startswith(prefix) else p for p in found]

    def exists(self, path):
        """Whether the path exists (following symlinks)."""
        return _fs.exists(_abs(path))

    def read_json(self, path):
        """A JSON file's value."""
        return _json.loads(self.read_file(path))

    def write_json(self, path, value, indent=None):
        """Write ``value`` as JSON (``json.dumps`` with ``indent``) and a newline."""
        self.write_file(path, _json.dumps(value, indent=indent) + "\n")

    def __repr__(self):
        return "<agentsh fs>"


class ShellResult:
    """What ``sh.run`` returns."""

    __slots__ = ("stdout", "stderr", "status")

    def __init__(self, stdout, stderr, status):
        self.stdout = stdout
        self.stderr = stderr
        self.status = status

    @property
    def returncode(self):
        """``status``, as ``subprocess.CompletedProcess`` names it."""
        return self.status

    def to_dict(self):
        return {"stdout": self.stdout, "stderr": self.stderr, "status": self.status}

    def __repr__(self):
        return (
            f"ShellResult(stdout={self.stdout!r}, stderr={self.stderr!r}, "
            f"status={self.status!r})"
        )

    def __eq__(self, other):
        return isinstance(other, ShellResult) and self.to_dict() == other.to_dict()


class _Sh:
    """The sandbox's bash, on the same filesystem."""

    def run(self, script, cwd=None, env=None, stdin=None, timeout_ms=None):
        """Run a bash script in a fresh shell session (as ``bash -c``), in ``cwd`` (default:
        the working directory); its stdout and stderr (decoded as UTF-8 with replacement)
        and exit status (124 when a limit stopped it)."""
        if not isinstance(script, str):
            raise TypeError(f"script must be str, not {type(script).__name__}")
        pairs = []
        if env:
            pairs = [(str(k), str(v)) for k, v in dict(env).items()]
        data = None
        if stdin is not None:
            data = stdin.encode() if isinstance(stdin, str) else bytes(stdin)
        timeout = None
        if timeout_ms is not None:
            timeout = max(0, int(timeout_ms))
        options = _shell.RunOptions(
            cwd=_os.getcwd() if cwd is None else _abs(cwd, "cwd"),
            env=pairs,
            stdin=data,
            timeout_ms=timeout,
        )
        out = _shell.run(script, options)
        return ShellResult(out.stdout, out.stderr, out.status)

    def __repr__(self):
        return "<agentsh sh>"


class ToolError(Exception):
    """A tool call failed; ``problem`` is its RFC 9457 problem detail (``type``,
    ``title``, ``status``, ``detail``) and ``tool`` the tool's name."""

    def __init__(self, tool, problem):
        self.tool = tool
        self.problem = problem
        super().__init__(
            f"{tool}: {problem['title']} ({problem['status']}): {problem['detail']}"
        )


def _call_tool(name, args):
    if args is None:
        args = {}
    text = _json.dumps(args)
    try:
        out = _tools.call(str(name), text)
    except _Err as e:
        p = e.value
        raise ToolError(
            name,
            {"type": p.type, "title": p.title, "status": p.status, "detail": p.detail},
        ) from None
    try:
        return _json.loads(out)
    except ValueError:
        return out


class _Tool:
    __slots__ = ("_name", "__doc__")

    def __init__(self, name, description):
        self._name = name
        self.__doc__ = description

    def __call__(self, *args, **kwargs):
        if args and kwargs:
            raise TypeError(f"{self._name}() takes either one dict or keyword arguments")
        if len(args) > 1:
            raise TypeError(f"{self._name}() takes at most one positional argument")
        return _call_tool(self._name, args[0] if args else kwargs)

    def __repr__(self):
        return f"<tool {self._name}>"


class _Tools:
    """The host's tools: ``tools.NAME(...)`` for each declared tool."""

    def __init__(self):
        self._declared = None

    def _load(self):
        if self._declared is None:
            self._declared = {t.name: t for t in _tools.list()}
        return self._declared

    def __getattr__(self, name):
        if name.startswith("__") or name == "_declared":
            raise AttributeError(name)
        t = self._load().get(name)
        if t is None:
            raise AttributeError(f"no tool named {name!r} is declared")
        return _Tool(t.name, t.description)

    def __dir__(self):
        return sorted(set(self._load()) | {"call", "list"})

    def call(self, name, args=None):
        """Call a tool by name with a dict of arguments; its JSON result."""
        return _call_tool(name, args)

    def list(self):
        """The declared tools: dicts of ``name``, ``description``, ``input_schema``."""
        out = []
        for t in self._load().values():
            try:
                schema = _json.loads(t.input_schema)
            except ValueError:
                schema = {}
            out.append(
                {"name": t.name, "description": t.description, "input_schema": schema}
            )
        return out

    def __repr__(self):
        return f"<agentsh tools: {', '.join(self._load())}>"


_LEVELS = {
    "trace": _log.Level.TRACE,
    "debug": _log.Level.DEBUG,
    "info": _log.Level.INFO,
    "warn": _log.Level.WARN,
    "error": _log.Level.ERROR,
}


def _message(values):
    # logging's %-style when it applies (`log.info("%d rows", n)`), else print's.
    if len(values) > 1 and isinstance(values[0], str) and "%" in values[0]:
        try:
            return values[0] % tuple(values[1:])
        except (TypeError, ValueError, KeyError):
            pass
    return " ".join(str(v) for v in values)


class _Log:
    """Structured log lines for the host: ``log.info("rows", n, table="t")`` logs the
    message ``rows 3`` with the fields ``{"table": "t"}``."""

    def _emit(self, level, values, fields):
        text = _json.dumps(fields, default=str) if fields else ""
        _log.log(_LEVELS[level], _message(values), text)

    def trace(self, *values, **fields):
        self._emit("trace", values, fields)

    def debug(self, *values, **fields):
        self._emit("debug", values, fields)

    def info(self, *values, **fields):
        self._emit("info", values, fields)

    def warn(self, *values, **fields):
        self._emit("warn", values, fields)

    warning = warn

    def error(self, *values, **fields):
        self._emit("error", values, fields)

    def __repr__(self):
        return "<agentsh log>"


fs = _Fs()
sh = _Sh()
tools = _Tools()
log = _Log()


def to_json(value):
    """``default`` for ``json.dumps``: the sandbox's own result objects as dicts."""
    if isinstance(value, (Stat, DirEntry, ShellResult)):
        return value.to_dict()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
