"""One detector for the whole directory: building Presidio's engine takes seconds."""

import pytest

from proxy.detect.detector import Detector
from proxy.policy import load_policy


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector(load_policy())
