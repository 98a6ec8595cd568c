"""Build shim; the project metadata lives in pyproject.toml (setuptools build backend).

setuptools < 70.1 builds wheels with the third-party `wheel` package. On an offline machine
without it, `pip install --no-build-isolation sdks/python` would stop at "invalid command
'bdist_wheel'", so this registers a small standard-library bdist_wheel in that case only.
With setuptools >= 70.1 or `wheel` installed, nothing here is used."""
import base64
import csv
import hashlib
import io
import os
import shutil
import tempfile
import zipfile

import setuptools


def _has_bdist_wheel() -> bool:
    for module in ("setuptools.command.bdist_wheel", "wheel.bdist_wheel"):
        try:
            __import__(module)
            return True
        except ImportError:
            pass
    return False


class StdlibBdistWheel(setuptools.Command):
    """A pure-Python, py3-none-any wheel of the packages, with dist-info from egg-info."""

    description = "build a pure-Python wheel with the standard library only"
    user_options = [("dist-dir=", "d", "directory for the built wheel")]

    def initialize_options(self):
        self.dist_dir = None

    def finalize_options(self):
        self.dist_dir = self.dist_dir or "dist"

    def _base(self):
        name = self.distribution.get_name().replace("-", "_")
        return f"{name}-{self.distribution.get_version()}"

    def egg2dist(self, egg_info_dir, dist_info_dir):
        os.makedirs(dist_info_dir, exist_ok=True)
        shutil.copy(os.path.join(egg_info_dir, "PKG-INFO"), os.path.join(dist_info_dir, "METADATA"))
        for extra in ("entry_points.txt", "top_level.txt"):
            if os.path.exists(os.path.join(egg_info_dir, extra)):
                shutil.copy(os.path.join(egg_info_dir, extra), os.path.join(dist_info_dir, extra))
        with open(os.path.join(dist_info_dir, "WHEEL"), "w") as f:
            f.write("Wheel-Version: 1.0\nGenerator: arbor-stdlib-bdist-wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        shutil.rmtree(egg_info_dir)

    def run(self):
        with tempfile.TemporaryDirectory() as staging:
            build_py = self.reinitialize_command("build_py")
            build_py.build_lib = staging
            self.run_command("build_py")
            egg_info = self.reinitialize_command("egg_info")
            egg_info.egg_base = staging
            self.run_command("egg_info")
            self.egg2dist(egg_info.egg_info, os.path.join(staging, f"{self._base()}.dist-info"))
            os.makedirs(self.dist_dir, exist_ok=True)
            self._zip(staging, os.path.join(self.dist_dir, f"{self._base()}-py3-none-any.whl"))

    def _zip(self, root, wheel_path):
        record_name = f"{self._base()}.dist-info/RECORD"
        rows = []
        with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as zf:
            for folder, _dirs, files in sorted(os.walk(root)):
                for name in sorted(files):
                    path = os.path.join(folder, name)
                    arcname = os.path.relpath(path, root).replace(os.sep, "/")
                    with open(path, "rb") as f:
                        data = f.read()
                    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    rows.append((arcname, f"sha256={digest}", str(len(data))))
                    zf.writestr(arcname, data)
            rows.append((record_name, "", ""))
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(rows)
            zf.writestr(record_name, out.getvalue())


setuptools.setup(cmdclass={} if _has_bdist_wheel() else {"bdist_wheel": StdlibBdistWheel})
