"""The parameters of the tuning layout styles: each district's headings, order, column names and letterhead.

A look is what makes two documents of one style differ the way two districts'
documents differ. Column lists are (header the district typed, plan row attribute).
"""

from __future__ import annotations

OWN_HEADINGS_A = {
    "hqim": "Curriculum Materials", "schools": "Schools Identified by DESE", "focus": "Our Instructional Focus",
    "data": "What Our Data Tell Us", "practice": "Adult Practice", "voices": "What We Heard",
    "goals": "Goals for June 2026", "roles": "Who Does What", "monitoring": "How We Will Know We Are On Track",
    "resources": "Resources", "targeted": "Extra Support for Identified Schools",
}
OWN_HEADINGS_B = {
    "hqim": "Instructional Materials Status", "schools": "Accountability Status of Our Schools",
    "focus": "Strategic Objective: Literacy for Every Learner", "data": "Needs Assessment",
    "practice": "Root Causes", "voices": "Community Voice", "goals": "Measurable Outcomes",
    "roles": "Key Actions by Level", "monitoring": "Progress Monitoring Plan", "resources": "Resource Allocation",
    "targeted": "Differentiated Support for Priority Schools",
}

LOOKS = {
    "worcester": {
        "title": "Instructional Focus 2025-2026", "headings": OWN_HEADINGS_A, "statement_box": True,
        "order": ["focus", "data", "practice", "goals", "roles", "monitoring", "voices", "resources", "schools",
                  "targeted", "hqim"],
        "outcome_columns": [("Metric", "measure"), ("Students", "student_group"), ("Where", "school"),
                            ("Spring 2024", "baseline"), ("Goal", "target")],
        "benchmark_columns": [("Checkpoint", "benchmark"), ("Owner", "monitored_by"), ("When", "frequency"),
                              ("Level", "level"), ("Mid-year signal", "on_track")],
        "color": "1F4E79", "shade": "DEEAF6", "footer": "Worcester Public Schools, 20 Irving Street",
    },
    "fall_river": {
        "title": "District Improvement Plan, School Year 2025-2026", "headings": OWN_HEADINGS_B, "numbered": True,
        "bullets": True, "font": "Arial", "targeted_table": True, "date_label": "Approved by the School Committee",
        "contact_label": "Plan lead",
        "tracked": ("Results improved in every school last year.", "Check this against the DESE profile before June."),
        "order": ["schools", "data", "practice", "focus", "voices", "goals", "monitoring", "roles", "targeted",
                  "resources", "hqim"],
        "outcome_columns": [("Indicator", "measure"), ("Subgroup", "student_group"), ("School / District", "school"),
                            ("Current", "baseline"), ("End of Year Target", "target")],
        "benchmark_columns": [("Level", "level"), ("Interim measure", "benchmark"), ("Reviewed by", "monitored_by"),
                              ("Cycle", "frequency"), ("Evidence of progress", "on_track")],
        "role_labels": [("District leadership will", "p1.district_actions"),
                        ("Building leadership will", "p1.school_actions"), ("Educators will", "p1.classroom_actions")],
    },
    "holyoke": {
        "title": "Instructional Priority Plan SY2025-26 / Plan de Prioridad Instruccional", "sentences": True,
        "headings": {**OWN_HEADINGS_A, "focus": "Our Priority", "goals": "SMART Goals",
                     "monitoring": "Interim Benchmarks", "targeted": "Support for Morgan and Peck"},
        "order": ["schools", "focus", "goals", "monitoring", "data", "practice", "roles", "voices", "targeted",
                  "resources", "hqim"],
        "footer": "Holyoke Public Schools, 57 Suffolk Street", "font": "Garamond", "bullets": True,
    },
    "plain": {"font": "Times New Roman"},
    "no_labels": {"font": "Georgia", "labels": False},
    "lawrence": {"letterhead": "Office of the Superintendent/Receiver",
                 "rename": {"1. Instructional Priority": "1. Our Instructional Priority (revised June 2025)"},
                 "notes_before": {"5. Role Clarity": "Targets will be revisited with the Lawrence Alliance for "
                                                     "Education when the spring 2025 MCAS results arrive."}},
    "haverhill": {"letterhead": "District Improvement Plan appendix", "delete_tips": False,
                  "rename": {"4. Outcomes": "4. Outcomes (SMART goals)"}},
    "brockton": {"title_font": "Georgia", "notes": True, "table_slides": True},
    "pittsfield_deck": {"notes": True},
    "new_bedford": {"title_font": "Trebuchet MS", "notes": False, "table_slides": False, "per_slide": 3},
}
