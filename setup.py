"""Only what setup.cfg cannot say: the built-in plugins' demo data stays out of the wheel.

``plugins/<name>/demo.py`` implements the ``intranet_demo_data`` hook for ``make demo`` and the
tests; it is fictional data for the development checkout, not part of what a municipality
installs. Editable installs (``make setup``) still see it, since they read the source folder.
"""

from setuptools import setup
from setuptools.command.build_py import build_py


class RuntimeBuildPy(build_py):
    """``build_py`` without the built-in plugins' demo modules."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = super().find_package_modules(package, package_dir)
        if package.startswith("plugins."):
            modules = [m for m in modules if m[1] != "demo"]
        return modules


setup(cmdclass={"build_py": RuntimeBuildPy})
