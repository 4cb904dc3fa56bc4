"""What districts call things, as data: subjects, assessments, cadences, roles and funding sources.

The resolver (``resolve.py``) reads names with these tables; nothing here
matches text by itself. Each entry lists what districts write for the thing,
matched as whole words, casefolded, except a name written in capitals
("ACCESS", "MAP", "STAR", "TAG"), which is matched only as written: "access to
grade-level texts" is no test. Adding a name a district uses is one
entry here, never a change to a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

# Subjects by family: "Math" and "Mathematics" are one subject, "English learners" are a group, not English.
SUBJECTS: dict[str, tuple[str, ...]] = {
    "ELA": ("ela", "e.l.a.", "english language arts", "english", "language arts", "reading", "readers", "literacy",
            "early literacy", "writing", "phonics", "phonemic awareness", "foundational skills", "fluency",
            "comprehension", "decoding", "literature", "complex texts", "grade-level texts", "close reading"),
    "Math": ("math", "maths", "mathematics", "mathematical", "numeracy", "algebra", "geometry", "fractions",
             "number sense", "illustrative mathematics", "eureka", "eureka math"),
    "Science": ("science", "sciences", "STE", "biology", "chemistry", "physics",
                "science and technology/engineering", "technology/engineering", "openscied"),
    "History and social science": ("social studies", "history", "civics", "history and social science"),
    "World languages": ("world language", "world languages", "spanish", "french", "mandarin"),
    "Arts": ("arts", "music", "visual arts", "theater", "theatre", "dance"),
    "Health and physical education": ("health education", "health and physical education", "physical education",
                                      "PE"),
    "Computer science": ("computer science", "digital literacy", "digital literacy and computer science", "dlcs"),
    "SEL": ("sel", "social-emotional learning", "social emotional learning", "social-emotional", "belonging"),
}
# Words that belong to a subject but often serve another one ("explain their reasoning in writing" in math): they
# say what a text is about, but not enough to say it is about another subject than the priority's.
SUBJECT_WORDS_IN_PASSING = {"writing", "readers", "fluency", "comprehension", "decoding", "literature",
                            "complex texts", "grade-level texts", "close reading", "mathematical", "fractions",
                            "number sense", "english"}
# Words that name a subject only when they are not part of a group's name.
NOT_SUBJECT_AFTER = {"english": ("learner", "learners", "language learner", "language learners",
                                 "language development", "language proficiency")}


@dataclass(frozen=True)
class Assessment:
    """An assessment or data source as docgen knows it: what kind, which subjects, which grades, how often."""

    name: str
    kind: str  # "state annual", "interim", "screener", "observation tool", "survey", "local", "administrative"
    subjects: tuple[str, ...] = ()  # () when the text around it says (a unit assessment of any subject)
    grades: tuple[int, ...] = ()  # () when any grade
    per_year: int = 0  # how many times a year it is given; 0 when it depends
    midyear: bool = True  # whether results exist by January of the plan year


ASSESSMENTS: dict[str, tuple[Assessment, tuple[str, ...]]] = {
    "MCAS": (Assessment("MCAS", "state annual", ("ELA", "Math", "Science"), (3, 4, 5, 6, 7, 8, 9, 10, 11, 12), 1,
                        midyear=False),
             ("mcas", "next-generation mcas", "next generation mcas", "state assessment", "state test",
              "state testing")),
    "ACCESS for ELLs": (Assessment("ACCESS for ELLs", "state annual", ("English language proficiency",), (), 1,
                                   midyear=False),
                        ("access for ells", "ACCESS", "wida access", "access test", "ELPA")),
    "i-Ready": (Assessment("i-Ready", "interim", ("ELA", "Math"), tuple(range(0, 9)), 3),
                ("i-ready", "iready", "i ready", "i-ready diagnostic")),
    "MAP Growth": (Assessment("MAP Growth", "interim", ("ELA", "Math", "Science"), (), 3),
                   ("MAP", "map growth", "nwea", "nwea map")),
    "STAR": (Assessment("STAR", "interim", ("ELA", "Math"), (), 3),
             ("STAR", "star reading", "star math", "star early literacy", "renaissance star")),
    "DIBELS": (Assessment("DIBELS", "screener", ("ELA",), tuple(range(0, 9)), 3),
               ("dibels", "dibels 8", "dibels 8th edition", "acadience", "acadience reading", "mclass",
                "early literacy screener", "literacy screener")),
    "Acadience Math": (Assessment("Acadience Math", "screener", ("Math",), tuple(range(0, 7)), 3),
                       ("acadience math", "mclass math", "dibels math")),
    "aimsweb": (Assessment("aimsweb", "screener", ("ELA", "Math"), (), 3),
                ("aimsweb", "aimswebplus", "aimsweb plus")),
    "FastBridge": (Assessment("FastBridge", "screener", ("ELA", "Math"), (), 3),
                   ("fastbridge", "fast bridge", "earlyreading", "earlymath", "amath", "areading", "cbmreading")),
    "Fountas & Pinnell BAS": (Assessment("Fountas & Pinnell BAS", "local", ("ELA",), tuple(range(0, 9)), 3),
                              ("f&p", "fountas and pinnell", "fountas & pinnell", "BAS", "running records")),
    "Unit assessments": (Assessment("Unit assessments", "local"),
                         ("unit assessment", "unit assessments", "end-of-unit", "end of unit", "common assessment",
                          "common assessments", "curriculum-embedded", "module assessment", "module assessments",
                          "interim assessment", "interim assessments", "benchmark assessment",
                          "benchmark assessments", "exit ticket", "exit tickets", "writing task",
                          "writing tasks", "work samples", "student work")),
    "Observation": (Assessment("Observation", "observation tool", (), (), 0),
                    ("learning walk", "learning walks", "walkthrough", "walkthroughs", "walk-through",
                     "walk-throughs", "observation", "observations", "observed lessons", "look-fors", "look fors",
                     "instructional rounds", "classroom visits", "observation tool")),
    "Survey": (Assessment("Survey", "survey", (), (), 0),
               ("survey", "surveys", "vocal", "views of climate and learning", "panorama")),
    "Attendance": (Assessment("Attendance", "administrative", (), (), 0),
                   ("attendance", "chronic absenteeism", "chronically absent", "absences")),
}

# How often, as times a year; longest names first when matched.
CADENCES: dict[str, tuple[int, tuple[str, ...]]] = {
    "daily": (180, ("daily", "every day", "each day")),
    "weekly": (36, ("weekly", "every week", "each week", "once a week", "per week")),
    "biweekly": (18, ("biweekly", "bi-weekly", "every two weeks", "every other week", "twice a month")),
    "monthly": (10, ("monthly", "every month", "each month", "once a month")),
    "every 6-8 weeks": (5, ("every 6-8 weeks", "every six weeks", "every 6 weeks", "every eight weeks",
                            "every 8 weeks", "every 6 to 8 weeks", "each cycle", "each coaching cycle",
                            "after each unit", "each unit", "every unit", "end of each unit", "per unit",
                            "each module", "after each module")),
    "quarterly": (4, ("quarterly", "each quarter", "every quarter", "four times a year", "by term", "each term")),
    "three times a year": (3, ("three times a year", "3 times a year", "three times per year", "3x a year",
                               "3x/year", "boy, moy, eoy", "boy/moy/eoy", "fall, winter and spring",
                               "fall, winter, spring", "fall, winter, and spring", "each trimester", "trimester",
                               "trimesterly", "each benchmark window", "each window", "each i-ready window",
                               "each assessment window", "three windows")),
    "twice a year": (2, ("twice a year", "two times a year", "twice per year", "semiannually", "semi-annually",
                         "each semester", "fall and spring", "midyear and end of year", "biannually")),
    "annually": (1, ("annually", "annual", "once a year", "yearly", "each spring", "end of year", "end of the year",
                     "each year", "every year")),
}
VAGUE_CADENCES = ("ongoing", "on-going", "as needed", "as-needed", "regularly", "periodically",
                  "throughout the year", "continuously", "continuous", "when needed", "as appropriate", "varies",
                  "flexible", "frequently", "often")

# Roles, with the level they work at.
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Superintendent": ("district", ("superintendent", "supt", "supt.")),
    "Assistant superintendent": ("district", ("assistant superintendent", "deputy superintendent", "asst. supt",
                                              "asst superintendent", "chief academic officer", "CAO")),
    "District director": ("district", ("director", "directors", "chief", "central office", "district leadership team",
                                       "DLT", "district team", "district data team", "coordinator", "coordinators",
                                       "curriculum director", "district leaders", "district administrators")),
    "Principal": ("school", ("principal", "principals", "assistant principal", "assistant principals", "AP", "APs",
                             "head of school", "school leaders", "school leader", "building leaders",
                             "school leadership team", "ILT", "ILTs", "instructional leadership team",
                             "instructional leadership teams", "dean", "deans", "department head",
                             "department heads", "department chair", "department chairs")),
    "Coach": ("school", ("coach", "coaches", "instructional coach", "literacy coach", "math coach",
                         "interventionist", "interventionists", "specialist", "specialists")),
    "Teacher": ("classroom", ("teacher", "teachers", "educators", "grade team", "grade teams", "grade-level teams",
                              "plc", "plcs", "team leader", "team leaders", "co-teachers", "classroom teachers")),
}

# Funding sources, with the last school year (first calendar year) they pay for; None while they continue.
FUNDING: dict[str, tuple[int | None, tuple[str, ...]]] = {
    "ESSER": (2024, ("esser", "esser ii", "esser iii", "arp esser", "cares act", "ARP")),
    "Title I": (None, ("title i", "title 1")),
    "Title II": (None, ("title ii", "title 2")),
    "Title III": (None, ("title iii", "title 3")),
    "Title IV": (None, ("title iv", "title 4")),
    "IDEA": (None, ("IDEA", "sped entitlement", "240 grant")),
    "Targeted Assistance Grant": (None, ("targeted assistance grant", "TAG")),
    "Intensive Assistance Grant": (None, ("intensive assistance grant", "IAG", "school redesign grant")),
    "Chapter 70": (None, ("chapter 70", "operating budget", "general fund", "local budget", "district budget")),
    "Student Opportunity Act": (None, ("student opportunity act", "SOA")),
    "M3": (None, ("M3",)),
}
