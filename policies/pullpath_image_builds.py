"""pullpath's machine learning image build rule (PP903) as a checkov check; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import image_builds

checks = register(image_builds.RULES)
