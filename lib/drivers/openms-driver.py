"""The harness's driver for an OpenMS streamlit-template deployment, sent to a pod at run time.

Nothing of mip-verify is installed in any image: this file is piped into `python -` inside a pod of
the app image, in the app's environment and working directory, and drives the app through its own
modules (the workflow queue, `src.workflow.QueueManager`; the queued function,
`src.workflow.tasks.execute_workflow`) and the image's `rq` and `redis` libraries, the way the app's
Run page does. Every command prints one JSON object on stdout; a failure prints {"error": ...}.

  identity                                  what tells this pod apart: uuid node and Streamlit installation id
  create-workspace [--id ID]                create (or re-attach) a workspace under WORKSPACES_DIR
  add-input WS [--name F] [--seed N]        write a generated mzML into the workflow's mzML-files input
  submit WS                                 save params.json and queue the TOPP workflow as the Run page does
  status WS                                 RQ job, the worker record that ran it, log markers, result files
  queue                                     the app's queue: available?, workers and registry sizes
  workers                                   every RQ worker registered in Redis, with its queues
  workspaces                                every workspace with its age in seconds
  set-age WS --seconds S                    backdate the workspace directory's mtime by S seconds
  params WS                                 the workspace's params.json
  set-param WS KEY VALUE                    store KEY: VALUE in the workspace's params.json
  make-mzml OUT [--seed N] [--scans N]      write a generated mzML file (needs no app module)
"""
import argparse
import base64
import json
import math
import os
import random
import struct
import sys
import time
import uuid
from pathlib import Path

QUEUE = "openms-workflows"
WORKFLOW_DIR = "topp-workflow"
INPUT_KEY = "mzML-files"
WORKFLOW_MODULE = "src.Workflow"
WORKFLOW_CLASS = "Workflow"

# ---------------------------------------------------------------- generated LC-MS runs (mzML)
# Centroided MS1 scans with a fixed set of compounds (Gaussian elution, three isotopes) over sparse
# noise. The compounds depend on nothing but COMPOUND_SEED, so feature linking across files of
# different seeds finds consensus features; the seed varies intensities and noise.
COMPOUND_SEED = 20261206
ISOTOPE_STEP = 1.003355
SCAN_SECONDS = 0.5


def _array(values, accession, name, unit):
    data = base64.b64encode(struct.pack(f"<{len(values)}d", *values)).decode("ascii")
    return (f'<binaryDataArray encodedLength="{len(data)}"><cvParam cvRef="MS" accession="MS:1000523" name="64-bit float"/>'
            f'<cvParam cvRef="MS" accession="MS:1000576" name="no compression"/>'
            f'<cvParam cvRef="MS" accession="{accession}" name="{name}"{unit}/><binary>{data}</binary></binaryDataArray>')


def write_mzml(out: Path, seed: int = 1, scans: int = 180, compounds: int = 0) -> Path:
    compounds = compounds or max(12, scans // 15)
    layout = random.Random(COMPOUND_SEED)
    run_seconds = scans * SCAN_SECONDS
    step = (run_seconds - 20.0) / compounds
    found = [(round(layout.uniform(150.0, 900.0), 4), 10.0 + step * (i + 0.5), layout.uniform(4e5, 3e6)) for i in range(compounds)]
    rng = random.Random(seed)
    scale = [rng.uniform(0.7, 1.3) for _ in found]
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0">'
             '<cvList count="2"><cv id="MS" fullName="PSI-MS" version="4.1.0" URI="https://psi.hupo.org/ms/ontology"/>'
             '<cv id="UO" fullName="Unit Ontology" version="2014" URI="https://purl.obolibrary.org/obo/uo.owl"/></cvList>'
             '<fileDescription><fileContent><cvParam cvRef="MS" accession="MS:1000579" name="MS1 spectrum"/>'
             '<cvParam cvRef="MS" accession="MS:1000127" name="centroid spectrum"/></fileContent></fileDescription>'
             '<softwareList count="1"><software id="gen" version="1"><cvParam cvRef="MS" accession="MS:1000799" '
             'name="custom unreleased software tool" value="generated"/></software></softwareList>'
             '<instrumentConfigurationList count="1"><instrumentConfiguration id="IC1"><cvParam cvRef="MS" '
             'accession="MS:1000031" name="instrument model"/></instrumentConfiguration></instrumentConfigurationList>'
             '<dataProcessingList count="1"><dataProcessing id="DP1"><processingMethod order="1" softwareRef="gen">'
             '<cvParam cvRef="MS" accession="MS:1000035" name="peak picking"/></processingMethod></dataProcessing>'
             f'</dataProcessingList><run id="run_{seed}" defaultInstrumentConfigurationRef="IC1">'
             f'<spectrumList count="{scans}" defaultDataProcessingRef="DP1">']
    for index in range(scans):
        rt = index * SCAN_SECONDS
        peaks = []
        for (mz, apex, height), factor in zip(found, scale):
            elution = math.exp(-((rt - apex) ** 2) / (2 * 3.0 ** 2))
            for isotope, ratio in enumerate((1.0, 0.35, 0.08)):
                intensity = height * factor * ratio * elution
                if intensity > 500.0:
                    peaks.append((mz + isotope * ISOTOPE_STEP + rng.gauss(0, 0.0005), intensity))
        peaks = sorted(peaks + [(rng.uniform(100.0, 1000.0), rng.uniform(50.0, 300.0)) for _ in range(15)])
        parts.append(
            f'<spectrum index="{index}" id="scan={index + 1}" defaultArrayLength="{len(peaks)}">'
            '<cvParam cvRef="MS" accession="MS:1000511" name="ms level" value="1"/>'
            '<cvParam cvRef="MS" accession="MS:1000579" name="MS1 spectrum"/>'
            '<cvParam cvRef="MS" accession="MS:1000127" name="centroid spectrum"/>'
            '<scanList count="1"><cvParam cvRef="MS" accession="MS:1000795" name="no combination"/><scan>'
            f'<cvParam cvRef="MS" accession="MS:1000016" name="scan start time" value="{rt:.3f}" unitCvRef="UO" '
            'unitAccession="UO:0000010" unitName="second"/></scan></scanList><binaryDataArrayList count="2">'
            + _array([p[0] for p in peaks], "MS:1000514", "m/z array", ' unitCvRef="MS" unitAccession="MS:1000040" unitName="m/z"')
            + _array([p[1] for p in peaks], "MS:1000515", "intensity array",
                     ' unitCvRef="MS" unitAccession="MS:1000131" unitName="number of detector counts"')
            + '</binaryDataArrayList></spectrum>\n')
    parts.append("</spectrumList></run></mzML>\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(parts), encoding="utf-8")
    return out


# ---------------------------------------------------------------- the app's layout
def workspaces_root() -> Path:
    """Where the app keeps workspaces in online mode (its WORKSPACES_DIR, with the app's default)."""
    return Path(os.environ.get("WORKSPACES_DIR", "/workspaces-streamlit-template"))


def valid_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and not name.startswith(".")


def workspace(name: str, must_exist: bool = True) -> Path:
    if not valid_name(name):
        raise ValueError(f"invalid workspace name {name!r}")
    path = workspaces_root() / name
    if must_exist and not path.is_dir():
        raise FileNotFoundError(f"no workspace {name!r} under {workspaces_root()}")
    return path


def workflow_dir(name: str) -> Path:
    return workspace(name) / WORKFLOW_DIR


def input_dir(name: str) -> Path:
    return workflow_dir(name) / "input-files" / INPUT_KEY


def redis():
    from redis import Redis
    return Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"), socket_connect_timeout=5, socket_timeout=15)


def iso(moment):
    return moment.isoformat() if moment else None


# ---------------------------------------------------------------- commands
def identity(_args) -> dict:
    node = uuid.getnode()
    installation = None
    try:  # what Streamlit itself sends each new session (NewSession.initialize.user_info)
        from streamlit.runtime.metrics_util import Installation
        installation = Installation.instance().installation_id_v3
    except Exception:
        installation = str(uuid.uuid5(uuid.NAMESPACE_DNS, str(node)))
    return {"hostname": os.uname().nodename, "node": f"{node:012x}", "installation_id": installation}


def create_workspace(args) -> dict:
    name = args.id or str(uuid.uuid1())
    path = workspace(name, must_exist=False)
    (path / WORKFLOW_DIR / "input-files" / INPUT_KEY).mkdir(parents=True, exist_ok=True)
    return {"workspace": name, "path": str(path)}


def add_input(args) -> dict:
    out = write_mzml(input_dir(args.workspace) / args.name, seed=args.seed, scans=args.scans)
    return {"workspace": args.workspace, "file": str(out), "bytes": out.stat().st_size}


def submit(args) -> dict:
    from src.workflow.QueueManager import QueueManager
    from src.workflow.tasks import execute_workflow

    directory = workflow_dir(args.workspace)
    inputs = sorted(str(p) for p in input_dir(args.workspace).glob("*.mzML"))
    params_file = directory / "params.json"
    params = json.loads(params_file.read_text()) if params_file.is_file() else {}
    params.update({INPUT_KEY: inputs, "run-python-script": False})
    params_file.write_text(json.dumps(params, indent=4))
    manager = QueueManager()
    if not manager.is_available:
        raise RuntimeError(f"the app's QueueManager has no queue (online mode off, or Redis at {QueueManager.REDIS_URL} unreachable)")
    # The Run page's id is workflow-<dir>-<epoch seconds>, which collides for two submissions in one
    # second; the harness adds a random part so its concurrent jobs stay apart.
    job_id = f"workflow-{directory.name}-{int(time.time())}-{uuid.uuid4().hex[:8]}"
    submitted = manager.submit_job(
        func=execute_workflow,
        kwargs={"workflow_dir": str(directory), "workflow_class": WORKFLOW_CLASS, "workflow_module": WORKFLOW_MODULE},
        job_id=job_id, description="Workflow: TOPP Workflow")
    if not submitted:
        raise RuntimeError("the app's QueueManager refused the job")
    manager.store_job_id(directory, submitted)
    return {"workspace": args.workspace, "job_id": submitted, "inputs": [Path(p).name for p in inputs]}


def log_markers(directory: Path) -> dict:
    log = directory / "logs" / "minimal.log"
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    errors = [line.strip() for line in text.splitlines() if line.strip().startswith("ERROR")]
    markers = {"started": "STARTING WORKFLOW" in text, "finished": "WORKFLOW FINISHED" in text,
               "cancelled": "WORKFLOW CANCELLED" in text, "error": bool(errors), "errors": errors[:5]}
    outcome = "cancelled" if markers["cancelled"] else "finished" if markers["finished"] else "error" if text else "none"
    return {**markers, "outcome": outcome}


def consensus_features(results: Path):
    """Rows of the linked feature table, or consensus elements of the consensusXML when no table exists."""
    table = results / "feature-linking" / "feature_matrix.tsv"
    if table.is_file():
        return max(0, sum(1 for line in table.read_text(errors="replace").splitlines() if line.strip()) - 1)
    xml = results / "feature-linking" / "feature_matrix.consensusXML"
    if xml.is_file():
        return xml.read_text(errors="replace").count("<consensusElement ")
    return None


def worker_host(connection, name):
    if not name:
        return None
    from rq import Worker
    found = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name, connection=connection)
    return found.hostname if found else None


def status(args) -> dict:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    directory = workflow_dir(args.workspace)
    job_file = directory / ".job_id"
    job_id = job_file.read_text().strip() if job_file.is_file() else None
    report = {"workspace": args.workspace, "job_id": job_id, "status": "idle", "running": False}
    if job_id:
        connection = redis()
        try:
            job = Job.fetch(job_id, connection=connection)
            state = str(getattr(job.get_status(refresh=True), "value", job.get_status()))
            latest = job.latest_result() if hasattr(job, "latest_result") else None
            result = getattr(latest, "return_value", None) if latest else None
            error = getattr(latest, "exc_string", None) if latest else None
            report.update({
                "status": state, "running": state in ("queued", "started"),
                "progress": job.meta.get("progress"), "current_step": job.meta.get("current_step"),
                "worker": job.worker_name, "worker_host": worker_host(connection, job.worker_name),
                "enqueued_at": iso(job.enqueued_at), "started_at": iso(job.started_at), "ended_at": iso(job.ended_at),
                "result": result if isinstance(result, dict) else None, "error": error or None,
            })
        except NoSuchJobError:
            report["status"] = "unknown"
    results = directory / "results"
    report["log"] = log_markers(directory)
    report["results"] = sorted(str(p.relative_to(results)) for p in results.rglob("*") if p.is_file()) if results.is_dir() else []
    report["consensus_features"] = consensus_features(results)
    report["pids"] = sorted(p.name for p in (directory / "pids").glob("*")) if (directory / "pids").is_dir() else []
    return report


def queue(_args) -> dict:
    from rq import Queue, Worker
    available, reason = False, None
    try:
        from src.workflow.QueueManager import QueueManager
        available = bool(QueueManager().is_available)
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
    connection = redis()
    q = Queue(QUEUE, connection=connection)
    workers = [{"name": w.name, "hostname": w.hostname, "state": str(getattr(w.get_state(), "value", w.get_state())),
                "current_job": w.get_current_job_id(), "successful": w.successful_job_count, "failed": w.failed_job_count}
               for w in Worker.all(queue=q)]
    return {"queue": QUEUE, "app_queue_available": available, "app_queue_error": reason, "workers": workers,
            "queued": q.count, "started": q.started_job_registry.count, "finished": q.finished_job_registry.count,
            "failed": q.failed_job_registry.count}


def workers(_args) -> dict:
    from rq import Worker
    return {"workers": [{"name": w.name, "hostname": w.hostname, "queues": w.queue_names()} for w in Worker.all(connection=redis())]}


def list_workspaces(_args) -> dict:
    now = time.time()
    root = workspaces_root()
    entries = [{"name": p.name, "age_seconds": round(now - p.stat().st_mtime)} for p in sorted(root.iterdir()) if p.is_dir()]
    return {"root": str(root), "workspaces": entries}


def set_age(args) -> dict:
    path = workspace(args.workspace)
    moment = time.time() - args.seconds
    os.utime(path, (moment, moment))
    return {"workspace": args.workspace, "age_seconds": round(time.time() - path.stat().st_mtime)}


def params(args) -> dict:
    path = workspace(args.workspace) / "params.json"
    return {"workspace": args.workspace, "params": json.loads(path.read_text()) if path.is_file() else None}


def set_param(args) -> dict:
    path = workspace(args.workspace) / "params.json"
    current = json.loads(path.read_text()) if path.is_file() else {}
    current[args.key] = args.value
    path.write_text(json.dumps(current, indent=4))
    return {"workspace": args.workspace, "params": current}


def make_mzml(args) -> dict:
    out = write_mzml(Path(args.out), seed=args.seed, scans=args.scans)
    return {"file": str(out), "bytes": out.stat().st_size}


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="openms-driver")
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("identity")
    commands.add_parser("create-workspace").add_argument("--id")
    add = commands.add_parser("add-input")
    add.add_argument("workspace")
    add.add_argument("--name", default="sample.mzML")
    add.add_argument("--seed", type=int, default=1)
    add.add_argument("--scans", type=int, default=180)
    commands.add_parser("submit").add_argument("workspace")
    commands.add_parser("status").add_argument("workspace")
    commands.add_parser("queue")
    commands.add_parser("workers")
    commands.add_parser("workspaces")
    age = commands.add_parser("set-age")
    age.add_argument("workspace")
    age.add_argument("--seconds", type=float, required=True)
    commands.add_parser("params").add_argument("workspace")
    setp = commands.add_parser("set-param")
    for name in ("workspace", "key", "value"):
        setp.add_argument(name)
    mz = commands.add_parser("make-mzml")
    mz.add_argument("out")
    mz.add_argument("--seed", type=int, default=1)
    mz.add_argument("--scans", type=int, default=180)
    return root


HANDLERS = {"identity": identity, "create-workspace": create_workspace, "add-input": add_input, "submit": submit,
            "status": status, "queue": queue, "workers": workers, "workspaces": list_workspaces, "set-age": set_age,
            "params": params, "set-param": set_param, "make-mzml": make_mzml}


def main() -> int:
    args = parser().parse_args()
    if os.path.isdir("/app") and "/app" not in sys.path:
        sys.path.insert(0, "/app")
    try:
        reply = HANDLERS[args.command](args)
    except Exception as error:  # one JSON line, so the harness never parses a traceback
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 2
    print(json.dumps(reply, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
