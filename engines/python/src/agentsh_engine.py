"""The Python engine guest of agentsh: CPython (componentize-py) in a component of the
``agent`` world (wit/sandbox.wit).

``run(input)`` runs ``input`` as a Python program. componentize-py runs this module's top
level once, at build time, and snapshots the interpreter: every run starts from that
snapshot in a fresh instance, so nothing of one run is seen by the next. The snapshot is
also the only moment modules can be imported from the standard library (the component
has no files of its own at run time), so this module imports the part of it programs may
use (``agentsh_stdlib.MODULES``); any other import fails with ``ModuleNotFoundError``.

Code mode (``input`` is the program):

- The result is the value of the program's last statement when that is an expression
  (as in a REPL or a notebook), or of a top-level ``return`` (the program then runs as the
  body of a function, its last expression statement returned when no ``return`` ran),
  as JSON text: ``json.dumps`` with ``allow_nan=False``; ``None`` is ``null``, tuples are
  arrays, and the sandbox's ``Stat``, ``DirEntry`` and ``ShellResult`` are objects of
  their fields. Anything else JSON has no text for is a ``TypeError`` (convert it first,
  e.g. ``list(a_set)``), as ``json.dumps`` would raise.
- An uncaught exception is ``Err`` of ``{"name", "message", "stack"}``: the type's name
  (with its module unless builtin, ``__main__`` or ``agentsh``), ``str(e)``, and the
  traceback Python would print without its last "Name: message" line, its frames the
  program's own (``File "<program>", line N``).
- ``sys.exit()`` / ``sys.exit(0)`` ends the program with the result ``null``; another
  status is the error ``SystemExit``.
- ``sys.argv`` is ``["<program>"]`` and the sandbox's arguments; ``os.environ`` is the
  sandbox's environment; the working directory is ``/``.

Command mode (``input`` is NUL then a JSON request ``{"argv", "code", "filename", "cwd",
"env"}``, which no Python program can be, as source cannot contain NUL): ``python3``'s
semantics. The program runs as ``__main__`` with ``sys.argv``, the working directory and
``os.environ`` given; an uncaught exception prints its traceback on stderr and exits 1,
``SystemExit`` exits with its status. The result is ``{"exit": status}``.
"""

import ast
import atexit
import json
import linecache
import os
import random
import sys
import traceback
import types

import agentsh
import agentsh_stdlib  # noqa: F401  (the preloaded standard library)
import wit_world
from componentize_py_types import Err

_ENGINE_FILES = frozenset({__file__, agentsh.__file__})

# The names every program starts with, besides `__name__` and friends.
_GLOBALS = {
    "fs": agentsh.fs,
    "sh": agentsh.sh,
    "tools": agentsh.tools,
    "log": agentsh.log,
    "ToolError": agentsh.ToolError,
}


class _NotInThisSandbox:
    """The last finder on ``sys.meta_path``: what no other finder found is not there."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        raise ModuleNotFoundError(
            f"No module named {name!r} (this sandbox's Python has no third-party "
            f"packages and a fixed part of the standard library)",
            name=name,
        )


class WitWorld(wit_world.WitWorld):
    def run(self, input: str) -> str:
        try:
            if input.startswith("\0"):
                return _command(input[1:])
            return _code_mode(input)
        except Err:
            raise
        except BaseException as e:  # noqa: BLE001  (an exception escaping is a trap)
            raise Err(
                json.dumps(
                    {"name": "InternalError", "message": f"the engine failed: {e!r}", "stack": ""}
                )
            ) from None


def _prepare(argv, path0, cwd=None, env=None):
    """Per-run process state: what a fresh interpreter would have."""
    sys.argv = list(argv)
    # The snapshot holds the build's seed: draw a fresh one from the host's entropy.
    random.seed()
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    if cwd:
        os.chdir(cwd)
    # The build-time paths do not exist at run time; programs import from the sandbox.
    sys.path[:] = [path0]
    sys.path_importer_cache.clear()
    if _NotInThisSandbox not in sys.meta_path:
        sys.meta_path.append(_NotInThisSandbox)


def _main_module(filename=None):
    main = types.ModuleType("__main__")
    main.__dict__.update(_GLOBALS)
    if filename is not None:
        main.__file__ = filename
    sys.modules["__main__"] = main
    return main.__dict__


def _remember_source(code, filename):
    # Tracebacks show the program's lines, as for a file.
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)


class _TopLevelReturn(ast.NodeVisitor):
    """Finds a ``return`` outside any function or class."""

    found = False

    def visit_Return(self, node):
        self.found = True

    def visit_FunctionDef(self, node):
        pass

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef


def _evaluate(code, filename, g):
    """Run the program in ``g``; the value of its last expression or of its ``return``."""
    _remember_source(code, filename)
    try:
        tree = ast.parse(code, filename)
    except SyntaxError as e:
        # Not raised by the program: no frames to show, as for `python3 FILE`.
        raise e.with_traceback(None) from None
    finder = _TopLevelReturn()
    finder.visit(tree)
    body = tree.body
    if finder.found:
        if body and isinstance(body[-1], ast.Expr):
            last = body[-1]
            body[-1] = ast.copy_location(ast.Return(value=last.value), last)
        fn = ast.FunctionDef(
            name="__agentsh_program__",
            args=ast.arguments(
                posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                kwarg=None, defaults=[],
            ),
            body=body,
            decorator_list=[],
            returns=None,
            type_params=[],
            lineno=1,
            col_offset=0,
        )
        module = ast.Module(body=[fn], type_ignores=[])
        ast.fix_missing_locations(module)
        exec(compile(module, filename, "exec"), g)
        program = g.pop("__agentsh_program__")
        # Frames read `in <module>` in both forms.
        program.__code__ = program.__code__.replace(
            co_name="<module>", co_qualname="<module>"
        )
        return program()
    if body and isinstance(body[-1], ast.Expr):
        last = body.pop()
        exec(compile(tree, filename, "exec"), g)
        expr = ast.Expression(body=last.value)
        return eval(compile(expr, filename, "eval"), g)
    exec(compile(tree, filename, "exec"), g)
    return None


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def _trim(exc, seen=None):
    """Drop the engine's frames from the tracebacks of ``exc`` and its chain: the leading
    ones (this module's call of the program) and the trailing ones (inside ``agentsh``,
    as a builtin's frames are not shown either)."""
    if seen is None:
        seen = set()
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    own = [f.tb_frame.f_code.co_filename not in _ENGINE_FILES for f in frames]
    if any(own):
        first = own.index(True)
        last = len(own) - 1 - own[::-1].index(True)
        frames = frames[first : last + 1]
        frames[-1].tb_next = None
        # `with_traceback`, not assignment: some exceptions (componentize-py's `Err`)
        # are frozen dataclasses.
        exc.with_traceback(frames[0])
    else:
        exc.with_traceback(None)
    _trim(exc.__cause__, seen)
    _trim(exc.__context__, seen)


def _type_name(exc):
    t = type(exc)
    if t.__module__ in ("builtins", "__main__", "agentsh"):
        return t.__qualname__
    return f"{t.__module__}.{t.__qualname__}"


def _error_json(exc):
    try:
        return _format_error(exc)
    except BaseException as e:  # noqa: BLE001  (never let the export raise)
        return json.dumps(
            {"name": type(exc).__name__, "message": f"(unformattable: {e!r})", "stack": ""}
        )


def _format_error(exc):
    _trim(exc)
    te = traceback.TracebackException.from_exception(exc)
    lines = list(te.format())
    only = list(te.format_exception_only())
    stack = lines[: len(lines) - len(only)] if lines[-len(only) :] == only else lines
    # Of the exception's own lines, keep a SyntaxError's location (indented) and the
    # notes after the "Name: message" line; drop that line, which is name and message.
    summary = next((i for i, l in enumerate(only) if not l.startswith(" ")), len(only))
    stack = stack + only[:summary] + only[summary + 1 :]
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001  (a broken __str__)
        message = f"<unprintable {type(exc).__name__} object>"
    return json.dumps(
        {"name": _type_name(exc), "message": message, "stack": "".join(stack).rstrip()}
    )


def _exit_status(exc, print_message):
    """The status of a ``SystemExit``, as CPython's exit: ``None`` 0, an int itself
    (mod 256), anything else printed on stderr and 1."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    if print_message:
        try:
            print(code, file=sys.stderr)
        except Exception:  # noqa: BLE001
            pass
    return 1


def _code_mode(code):
    filename = "<program>"
    # sys.argv[1:] are the sandbox's arguments (the host's WASI args after argv[0]).
    _prepare([filename] + sys.argv[1:], "")
    g = _main_module()
    try:
        value = _evaluate(code, filename, g)
    except SystemExit as e:
        status = _exit_status(e, print_message=False)
        if status != 0:
            _flush()
            message = str(e.code) if not isinstance(e.code, int) else f"exit status {status}"
            raise Err(json.dumps({"name": "SystemExit", "message": message, "stack": ""}))
        value = None
    except BaseException as e:  # noqa: BLE001  (everything is the program's error)
        _flush()
        raise Err(_error_json(e))
    _flush()
    try:
        return json.dumps(value, allow_nan=False, default=agentsh.to_json)
    except (TypeError, ValueError, RecursionError) as e:
        raise Err(
            json.dumps(
                {
                    "name": type(e).__name__,
                    "message": f"the program's result has no JSON text: {e}",
                    "stack": "",
                }
            )
        )


def _command(request):
    req = json.loads(request)
    filename = req.get("filename") or "<string>"
    code = req.get("code", "")
    path0 = ""
    if req.get("is_file"):
        path0 = os.path.dirname(os.path.join(req.get("cwd") or "/", filename)) or "/"
    _prepare(req.get("argv") or [filename], path0, req.get("cwd"), req.get("env"))
    g = _main_module(filename if req.get("is_file") else None)
    status = 0
    try:
        _remember_source(code, filename)
        exec(compile(code, filename, "exec"), g)
    except SystemExit as e:
        status = _exit_status(e, print_message=True)
    except BaseException as e:  # noqa: BLE001
        _trim(e)
        _flush()
        try:
            traceback.print_exception(e, file=sys.stderr)
        except Exception:  # noqa: BLE001
            print(f"{type(e).__name__}: <unprintable>", file=sys.stderr)
        status = 1
    try:
        atexit._run_exitfuncs()
    except BaseException:  # noqa: BLE001
        pass
    _flush()
    return json.dumps({"exit": status})
