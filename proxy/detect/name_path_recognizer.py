"""`/Shared/HR/Maria Gonzalez/Payslips/2024-05.pdf`, `s3://acme-hr/maria-gonzalez/`, `Z:\\Personnel\\
Maria_Gonzalez\\`: a person's full name as one folder of a path that stands alone. The judgement is
`path_folders.path_folder_names` (a clear given name and a known surname in one folder; products, places
and topics stay). The span is the folder."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from proxy.detect.judged_recognizer import JudgedNameRecognizer
from proxy.detect.name_patterns import CONFIDENT
from proxy.detect.path_folders import FOLDER, path_folder_names


class VeilPathFolderNameRecognizer(JudgedNameRecognizer):
    """Not a pattern recognizer: each folder is split into parts and judged (`path_folders`). Its regexes
    are listed for the detection budget's linear-time test."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("path folder", FOLDER.pattern, CONFIDENT),
    ]
    spans = staticmethod(path_folder_names)
