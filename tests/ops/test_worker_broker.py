"""A Celery worker started while Redis is down keeps trying instead of exiting, and serves once Redis is up;
report jobs go to their own "reports" queue, which a worker of the default queue leaves to a report worker.

The test starts its own Redis on port 6391 (never the machine's on 6379).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
import redis

from tests.ops.clusters import port_is_free, wait_for

pytestmark = pytest.mark.ops

ROOT = Path(__file__).resolve().parents[2]
PORT = 6391


def test_worker_waits_for_its_broker_and_report_jobs_have_their_own_queue(tmp_path):
    from config import celery_app

    server = shutil.which("redis-server")
    if server is None:
        reason = "needs redis-server (apt-get install redis-server)"
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    assert port_is_free(PORT), f"port {PORT} is taken"
    assert celery_app.conf.broker_connection_max_retries is None  # retries for ever, not 100 times
    url = f"redis://127.0.0.1:{PORT}/0"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": url,
           "SIMPUL_VAR_DIR": str(tmp_path / "var")}
    log = tmp_path / "worker.log"
    with open(log, "w") as output:  # the worker of the main host, told to consume only the default queue
        worker = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-Q", "celery", "--pool=solo",
             "--loglevel=INFO", "--hostname=simpul-test@%h", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    redis_server = None
    try:
        # Several attempts, each counted out of no limit ("2/None"), and the worker still running.
        wait_for(lambda: "(3/None)" in log.read_text(), seconds=60, what="the worker to retry the broker")
        assert worker.poll() is None, f"the worker exited without its broker:\n{log.read_text()}"

        redis_server = subprocess.Popen([server, "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: f"Connected to redis://:**@127.0.0.1:{PORT}/0" in log.read_text(), seconds=60,
                 what=f"the worker to connect once Redis is up:\n{log.read_text()}")
        wait_for(lambda: "ready." in log.read_text(), seconds=30, what="the worker to be ready")

        client = redis.Redis.from_url(url)
        with celery_app.connection_for_write(url) as connection, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # this process is eager (no REDIS_URL); send_task goes out anyway
            celery_app.send_task("reports.tasks.report_generate_task", args=[0], connection=connection)
        time.sleep(2)  # the default-queue worker would have taken it by now
        assert client.llen("reports") == 1  # waiting for a report worker (-Q reports)
        assert "Received task: reports.tasks.report_generate_task" not in log.read_text()
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait(timeout=10)
