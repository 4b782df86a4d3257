from driver import judge, report, run_cases

cases = [
    {"cls": "smoke", "text": "linkedin.com/in/maria-gonzalez-4b2a19", "plant": ["gonzalez"]},
    {"cls": "smoke", "text": "web-01.prod is up", "keep": ["web-01.prod"]},
]
report(judge(cases, run_cases(cases)))
