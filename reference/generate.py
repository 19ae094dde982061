"""Rebuild the reference survey extracts (a reconstruction, not the real responses).

The 2017 landscape-review survey answers were never published. This script invents
respondent-level exports that reproduce, exactly, every count the 2018 report does publish
(Annex 2, Table 1, Table 2, the funding paragraph, the response accounting of the Methods),
with free text written the way respondents write it. See reference/extracts/README.md.

Run from the repository root:

    python reference/generate.py                 # rewrites reference/extracts/ and the seeds
    python reference/generate.py --out DIR       # extracts into DIR instead
    python reference/generate.py --seeds DIR     # generated seeds into DIR instead

Only the standard library and openpyxl are used; every random choice comes from one
random.Random with a fixed seed, and nothing iterates over a set or depends on the clock,
so the output is byte-for-byte the same on every run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orchestration.domain.contract import (  # noqa: E402
    AREAS,
    GRID_OPTIONS,
    HWB_HEADER,
    NATIONAL_HEADERS,
    POLICE_HEADERS,
)

SEED = 20171020
# The project's copy of ../shared/report/published_figures.csv: the clone is self-contained.
FIGURES = ROOT / "seeds" / "published_figures.csv"

SURVEY_OPEN = dt.datetime(2017, 8, 21, 8, 30)
SURVEY_CLOSE = dt.datetime(2017, 10, 19, 18, 0)
SNAPSHOT_AT = dt.datetime(2017, 9, 29, 9, 0)  # national_20170929.xlsx
FINAL_AT = dt.datetime(2017, 10, 20, 8, 0)  # *_20171020.csv
XLSX_PROPERTIES_AT = dt.datetime(2017, 9, 29, 9, 5, 0)
FIRST_RESPONSE_ID = 6_571_234_567

# --------------------------------------------------------------------------------------
# Organisations: canonical name (Annex 1 spelling where Annex 1 lists it), type, parent,
# police force areas covered, and the ways respondents typed the name into Q1.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    name: str
    kind: str  # police force | OPCC | national body | regional body
    areas: tuple[str, ...] = ()
    typed: tuple[str, ...] = ()
    parent: str = ""  # empty for a top-level organisation
    annex1: bool = True
    role: str = ""  # national bodies: the Q2 role typed by its respondent

    @property
    def parent_name(self) -> str:
        """The top-level organisation (itself when it has no parent)."""
        return self.parent or self.name


def _force(name, areas, *typed, annex1=True):
    return Org(name, "police force", tuple(areas), typed or (name,), annex1=annex1)


def _opcc(area, *typed, annex1=True):
    name = f"{area} Office of the Police and Crime Commissioner"
    return Org(name, "OPCC", (area,), typed, annex1=annex1)


POLICE_ORGS: tuple[Org, ...] = (
    _force("Bedfordshire Police", ["Bedfordshire"], "Bedfordshire Police", "Beds Police"),
    _force(
        "Devon and Cornwall Police",
        ["Devon and Cornwall"],
        "Devon & Cornwall Police",
        "Devon and Cornwall Police.",
    ),
    _force(
        "Dyfed-Powys Police", ["Dyfed-Powys"], "Dyfed Powys Police", "Heddlu Dyfed-Powys Police"
    ),
    _force("Essex Police", ["Essex"], "Essex Police", "essex police", "Essex"),
    _force(
        "Gloucestershire Constabulary",
        ["Gloucestershire"],
        "Gloucestershire Constabulary",
        "Glos Constabulary",
    ),
    _force(
        "Greater Manchester Police",
        ["Greater Manchester"],
        "GMP",
        "Greater Manchester Police",
        "Greater Manchester Police (GMP)",
    ),
    _force("Gwent Police", ["Gwent"], "Gwent Police", "Heddlu Gwent Police"),
    _force("Hampshire Constabulary", ["Hampshire"], "Hampshire Constabulary", "Hampshire police"),
    _force("Humberside Police", ["Humberside"], "Humberside Police", "humberside police"),
    _force("Kent Police", ["Kent"], "Kent Police", "Kent police."),
    _force("Leicestershire Police", ["Leicestershire"], "Leicestershire Police", "Leics Police"),
    _force("Lincolnshire Police", ["Lincolnshire"], "Lincolnshire Police", "Lincs Police"),
    _force("Merseyside Police", ["Merseyside"], "Merseyside Police", "Merseyside police "),
    _force("Norfolk Constabulary", ["Norfolk"], "Norfolk Constabulary", "Norfolk Police"),
    _force(
        "North Wales Police",
        ["North Wales"],
        "North Wales Police",
        "Heddlu Gogledd Cymru / North Wales Police",
    ),
    _force("North Yorkshire Police", ["North Yorkshire"], "North Yorkshire Police", "NYP"),
    _force(
        "Northamptonshire Police",
        ["Northamptonshire"],
        "Northamptonshire Police",
        "Northants Police",
    ),
    _force("Northumbria Police", ["Northumbria"], "Northumbria Police", " Northumbria Police"),
    _force("South Yorkshire Police", ["South Yorkshire"], "South Yorkshire Police", "SYP"),
    _force("Staffordshire Police", ["Staffordshire"], "Staffordshire Police", "Staffs Police"),
    _force("Suffolk Constabulary", ["Suffolk"], "Suffolk Constabulary", "Suffolk Police"),
    _force("Surrey Police", ["Surrey"], "Surrey Police", "Surrey police"),
    _force("Sussex Police", ["Sussex"], "Sussex Police", "sussex police"),
    _force(
        "West Mercia & Warwickshire Police",
        ["West Mercia", "Warwickshire"],
        "West Mercia and Warwickshire Police",
        "West Mercia & Warwickshire Police",
    ),
    _force("West Midlands Police", ["West Midlands"], "West Midlands Police", "WMP"),
    _force("West Yorkshire Police", ["West Yorkshire"], "West Yorkshire Police", "WYP"),
    _opcc(
        "Cambridgeshire",
        "Cambridgeshire OPCC",
        "Office of the Police and Crime Commissioner for Cambridgeshire and Peterborough",
    ),
    _opcc("Humberside", "Humberside OPCC", "Office of the PCC for Humberside"),
    _opcc("North Yorkshire", "OPCC North Yorkshire", "North Yorkshire PCC office"),
    _opcc("Dorset", "Dorset OPCC", "Dorset Police & Crime Commissioner's Office"),
    _opcc("Warwickshire", "Warwickshire OPCC", "Office of the PCC for Warwickshire"),
    _opcc("West Yorkshire", "West Yorkshire OPCC", "OPCC West Yorkshire"),
    # Not in Annex 1: only ever named on excluded (identity-only) rows.
    _force(
        "Avon and Somerset Constabulary",
        ["Avon and Somerset"],
        "Avon & Somerset Constabulary",
        annex1=False,
    ),
    _force(
        "Cheshire Constabulary",
        ["Cheshire"],
        "Cheshire Constabulary",
        "Cheshire Police",
        annex1=False,
    ),
    _force("City of London Police", ["City of London"], "City of London Police", annex1=False),
    _force("Cleveland Police", ["Cleveland"], "Cleveland Police", annex1=False),
    _force("Cumbria Constabulary", ["Cumbria"], "Cumbria Constabulary", annex1=False),
    _force("Derbyshire Constabulary", ["Derbyshire"], "Derbyshire Constabulary", annex1=False),
    _force("Durham Constabulary", ["Durham"], "Durham Constabulary", annex1=False),
    _force("Hertfordshire Constabulary", ["Hertfordshire"], "Herts Constabulary", annex1=False),
    _force(
        "Lancashire Constabulary",
        ["Lancashire"],
        "Lancashire Constabulary",
        "Lancs Police",
        annex1=False,
    ),
    _force(
        "Metropolitan Police Service",
        ["Metropolitan"],
        "Met Police",
        "MPS",
        "Metropolitan Police",
        annex1=False,
    ),
    _force("Nottinghamshire Police", ["Nottinghamshire"], "Notts Police", annex1=False),
    _force("South Wales Police", ["South Wales"], "South Wales Police", annex1=False),
    _force("Thames Valley Police", ["Thames Valley"], "Thames Valley Police", "TVP", annex1=False),
    _force("Wiltshire Police", ["Wiltshire"], "Wiltshire Police", annex1=False),
    _opcc("Lancashire", "Lancashire OPCC", annex1=False),
    _opcc("Avon and Somerset", "Office of the PCC for Avon and Somerset", annex1=False),
)

PHE = "Public Health England"
NHSE = "NHS England"
NPCC = "National Police Chiefs' Council"


def _national(name, parent, typed, role, kind="national body", annex1=True):
    return Org(
        name, kind, (), (typed,), parent="" if parent == name else parent, annex1=annex1, role=role
    )


# The role text decides "regional" for national bodies: exactly three contain "region".
NATIONAL_ORGS: tuple[Org, ...] = (
    _national(
        "Association of Directors of Public Health",
        "Association of Directors of Public Health",
        "ADPH",
        "Director of Public Health and ADPH lead for the North East region",
    ),
    _national(
        "College of Policing",
        "College of Policing",
        "College of Policing",
        "Vulnerability & Public Protection lead, Crime and Criminal Justice Unit",
    ),
    _national(PHE, PHE, "Public Health England", "Deputy Director, Health & Wellbeing programmes"),
    _national(
        "Public Health England – Alcohol, Drugs and Tobacco division",
        PHE,
        "PHE - Alcohol, Drugs & Tobacco Division",
        "Programme Manager - alcohol and drugs",
    ),
    _national(
        "Public Health England – Health and Wellbeing",
        PHE,
        "Public Health England (Health and Wellbeing directorate)",
        "Senior policy lead, violence and vulnerability",
    ),
    _national(
        "Public Health England – Public Health, Health and Justice",
        PHE,
        "PHE Health & Justice team",
        "Health and Justice Public Health Specialist",
    ),
    _national(
        "Public Health England South West",
        PHE,
        "PHE South West Centre",
        "Health and Wellbeing Programme Lead",
        kind="regional body",
    ),
    _national(
        "Public Health England West Midlands",
        PHE,
        "Public Health England, West Midlands Centre",
        "Consultant in Public Health",
        kind="regional body",
    ),
    _national(
        "Public Health England Yorkshire and the Humber",
        PHE,
        "PHE Yorks & Humber",
        "Public Health Specialist (justice and vulnerable groups)",
        kind="regional body",
    ),
    _national(
        "NHS England – Children and Young Persons Mental Health Team",
        NHSE,
        "NHS England - CYP Mental Health team",
        "Senior Programme Manager, CYP Mental Health (Midlands & East regional team)",
    ),
    _national(
        "NHS England – Health and Justice",
        NHSE,
        "NHS England Health and Justice",
        "Health & Justice Commissioning Manager, North Region",
    ),
    _national(
        "NHS England – Older People’s Team",
        NHSE,
        "NHS England, Older People's team.",
        "Senior Programme Lead - Dementia",
    ),
    _national(
        "National Police Chief’s Council - Missing Person Portfolio",
        NPCC,
        "NPCC - Missing Persons portfolio",
        "Staff officer to the NPCC lead for missing persons",
    ),
    _national(
        "UK Faculty of Public Health",
        "UK Faculty of Public Health",
        "Faculty of Public Health",
        "Chair, FPH Special Interest Group (police & health)",
    ),
    # Not in Annex 1: parents and one invited non-respondent, named on excluded rows only.
    _national(NHSE, NHSE, "NHS England", "Commissioning manager", annex1=False),
    _national(NPCC, NPCC, "NPCC", "Staff officer", annex1=False),
    _national(
        "Public Health Wales",
        "Public Health Wales",
        "Public Health Wales",
        "Consultant in public health",
        annex1=False,
    ),
)

# Q1 typed on the four identity-only national rows (agency and role only).
NATIONAL_IDENTITY_ONLY = (
    (NHSE, "NHS England", "Commissioning manager, mental health"),
    ("Public Health Wales", "Public Health Wales", "Consultant in Public Health"),
    (NPCC, "NPCC", "Staff officer"),
    (PHE, "Public Health England ", "Policy advisor"),
)

POLICE_FORCE_AREAS = (
    ("Avon and Somerset", "England"),
    ("Bedfordshire", "England"),
    ("Cambridgeshire", "England"),
    ("Cheshire", "England"),
    ("City of London", "England"),
    ("Cleveland", "England"),
    ("Cumbria", "England"),
    ("Derbyshire", "England"),
    ("Devon and Cornwall", "England"),
    ("Dorset", "England"),
    ("Durham", "England"),
    ("Dyfed-Powys", "Wales"),
    ("Essex", "England"),
    ("Gloucestershire", "England"),
    ("Greater Manchester", "England"),
    ("Gwent", "Wales"),
    ("Hampshire", "England"),
    ("Hertfordshire", "England"),
    ("Humberside", "England"),
    ("Kent", "England"),
    ("Lancashire", "England"),
    ("Leicestershire", "England"),
    ("Lincolnshire", "England"),
    ("Merseyside", "England"),
    ("Metropolitan", "England"),
    ("Norfolk", "England"),
    ("North Wales", "Wales"),
    ("North Yorkshire", "England"),
    ("Northamptonshire", "England"),
    ("Northumbria", "England"),
    ("Nottinghamshire", "England"),
    ("South Wales", "Wales"),
    ("South Yorkshire", "England"),
    ("Staffordshire", "England"),
    ("Suffolk", "England"),
    ("Surrey", "England"),
    ("Sussex", "England"),
    ("Thames Valley", "England"),
    ("Warwickshire", "England"),
    ("West Mercia", "England"),
    ("West Midlands", "England"),
    ("West Yorkshire", "England"),
    ("Wiltshire", "England"),
)
WELSH_AREAS = tuple(area for area, country in POLICE_FORCE_AREAS if country == "Wales")

# Annex 1 organisations that answered the police survey twice (40 responses, 32 organisations).
POLICE_TWICE = (
    "Greater Manchester Police",
    "West Yorkshire Police",
    "Essex Police",
    "Northumbria Police",
    "Sussex Police",
    "Kent Police",
    "Merseyside Police",
    "Northamptonshire Police",
)

POLICE_ROLES = (
    "Chief Inspector",
    "Ch Insp - Force Mental Health Lead",
    "Superintendent, Head of Public Protection",
    "PC - Mental Health Liaison Officer",
    "Detective Chief Superintendent",
    "Inspector (Partnerships)",
    "Sergeant, Mental Health Team",
    "Chief Superintendent",
    "Staff officer to ACC Local Policing",
    "Vulnerability Co-ordinator",
    "Superintendent",
    "Temporary Chief Inspector, Partnerships",
    "Partnership Manager",
    "Insp. Neighbourhood Policing",
    "DI Public Protection Unit",
    "Mental Health Tactical Advisor (PC)",
    "Head of Partnerships & Prevention",
    "Chief Insp",
    "Supt Criminal Justice & Custody",
    "Police Constable",
)
OPCC_ROLES = (
    "Policy Officer",
    "Head of Commissioning",
    "Partnerships and Commissioning Officer",
    "Commissioning Manager (health & criminal justice)",
    "Policy and Performance Officer",
    "Chief Executive",
    "Strategic Commissioning Lead",
)

FIRST_NAMES = (
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Pat",
    "Robin",
    "Jamie",
    "Morgan",
    "Charlie",
    "Ashley",
    "Taylor",
    "Jordan",
    "Casey",
    "Frankie",
    "Hayden",
    "Riley",
    "Kit",
    "Lee",
    "Dana",
    "Rowan",
    "Priya",
    "Ade",
)
SURNAMES = (
    "Example",
    "Sample",
    "Specimen",
    "Placeholder",
    "Dummy",
    "Fictional",
    "Madeup",
    "Testington",
    "Notreal",
    "Pretendsworth",
    "Fakeley",
    "Mockridge",
    "Lorimer-Test",
    "Exampleton",
    "Imaginary",
)
IP_PREFIXES = ("192.0.2.", "198.51.100.", "203.0.113.")

# --------------------------------------------------------------------------------------
# Free-text fragments.
# --------------------------------------------------------------------------------------

# Table 2 lead agency: typed answers per category ({force} = the respondent's own force).
LEAD_TEXTS = {
    "Police": (
        "Police",
        "{force}",
        "police",
        "The force",
        "{force} (Public Protection)",
        "Police - Neighbourhood Policing",
        "Constabulary",
        "Police ",
    ),
    "Public health / health": (
        "CCG / public health",
        "PHE",
        "Public Health England",
        "NHS England",
        "Mental health trust",
        "The local CCG",
        "Public Health",
        "NHS England (Health & Justice commissioning)",
        "Public health team at the county council",
    ),
    "Home office": ("Home Office",),
    "OPCC": ("OPCC", "Office of the PCC"),
    "Community safety team": ("Community Safety Team (district council)",),
    "Health and police joint lead": (
        "Joint - police and NHS trust",
        "Police and CCG jointly",
        "Mental Health Trust and Police",
        "Police/NHS",
        "Jointly led by police and public health",
        "Joint lead: {force} and the local MH trust",
        "NHS England & police (joint)",
    ),
    "Name of the multiagency partnership given": (
        "Lancashire Violence Reduction Network",
        "West Midlands Violence Prevention Alliance",
    ),
    "Police and other": (
        "Police and Local Authority",
        "Police & Fire Service",
        "Police, with the County Council's children's services",
    ),
    "NA": ("NA",),
}
MANUAL_LEAD = ("Ourselves", "Police")

# Lead categories that only make sense for some respondents: (category, who may give it).
PREFERRED_LEADS = {
    "police": (
        ("OPCC", lambda r: r.org.kind == "OPCC"),
        (
            "Name of the multiagency partnership given",
            lambda r: r.org.name == "West Midlands Police",
        ),
    ),
    "national": (
        ("Police", lambda r: r.org.parent_name in (NPCC, "College of Policing")),
        (
            "Name of the multiagency partnership given",
            lambda r: r.org.name == "Public Health England – Health and Wellbeing",
        ),
    ),
}

FUNDING_TEXTS = {
    "jointly funded": (
        "Jointly funded - CCG and OPCC",
        "Pooled budget (police, CCG and LA)",
        "50/50 police and health",
        "Joint funding from the PCC and NHS England",
        "Split between OPCC and the CCG",
        "CCG & Police",
        "Co-commissioned by OPCC and public health",
        "Police and mental health trust each fund their own staff",
        "Joint - PHE and Home Office",
        "Police Innovation Fund plus CCG match funding",
        "Jointly by NHS England and the OPCC",
        "Both organisations contributed staff time and money",
        "Shared funding - force and CCG",
        "Mixed: OPCC grant plus council and CCG contributions",
        'Jointly - the CCG pays for the nurses, police provide the car and "backfill".\n'
        "Reviewed every year.",
        "Funded by police, council and health partners",
        "Joint commissioning (OPCC / NHS England)",
        "Pooled: OPCC, CCG, public health, housing",
        "Jointly funded",
    ),
    "health": (
        "CCG",
        "NHS England",
        "Public health grant",
        "PHE",
        "Commissioned and funded by the CCG",
        "Health (Department of Health pilot money)",
    ),
    "Home Office": (
        "Home Office Police Innovation Fund",
        "Police Transformation Fund (Home Office)",
        "Home Office grant",
    ),
    "OPCC": ("OPCC", "PCC grant", "Office of the PCC - community safety fund"),
    "police": ("Force budget",),
    "cost-neutral / no additional funding": (
        "Cost neutral",
        "No additional funding - existing resources",
        "Within existing budgets",
        "Nil cost, officers' time only",
    ),
    "not stated": ("NA", "N/A", "Not known"),
}
MANUAL_FUNDING = ("Mainly goodwill and people's time", "cost-neutral / no additional funding")

# (lead category, funding category) of each good-practice answer, per survey version.
GOOD_PRACTICE_PAIRS = {
    "police": (
        *[("Police", "jointly funded")] * 5,
        ("Police", "police"),
        *[("Police", "cost-neutral / no additional funding")] * 2,
        ("Police", "Home Office"),
        *[("Police", "OPCC")] * 2,
        ("Police", "not stated"),
        ("Police", "health"),
        *[("Public health / health", "health")] * 2,
        ("Public health / health", "jointly funded"),
        ("OPCC", "OPCC"),
        ("Community safety team", "cost-neutral / no additional funding"),
        *[("Health and police joint lead", "jointly funded")] * 4,
        ("Health and police joint lead", "Home Office"),
        ("Name of the multiagency partnership given", "jointly funded"),
        *[("Police and other", "jointly funded")] * 2,
        ("Police and other", "not stated"),
    ),
    "national": (
        *[("Public health / health", "health")] * 3,
        *[("Public health / health", "jointly funded")] * 2,
        ("Public health / health", "cost-neutral / no additional funding"),
        *[("Health and police joint lead", "jointly funded")] * 2,
        ("Home office", "Home Office"),
        ("Name of the multiagency partnership given", "jointly funded"),
        ("Police", "jointly funded"),
        ("NA", "not stated"),
    ),
}


@dataclass(frozen=True)
class Project:
    title: str
    leads: tuple[str, ...]
    partners: str
    aim: str
    duration: str
    scales: tuple[str, ...]
    data: str
    impact: str
    lessons: str


PROJECTS = (
    Project(
        "Street Triage",
        ("Health and police joint lead", "Police", "Public health / health"),
        "Mental health trust, CCG, ambulance service",
        "Mental health nurses working alongside officers (car and control room) to give advice at "
        "the point of contact, reduce S136 detentions and get people to the right care",
        "Since 2014, now mainstream",
        ("Local", "Force wide", "local"),
        "Nurses have access to the command and control system; health records only viewed by the "
        "nurse. ISA signed by both organisations",
        "S136 detentions down by more than half, fewer A&E attendances. Evaluated by the local "
        "university",
        "Relationships are everything - co-location made it work. Agree the data you need at the "
        "start, not 6 months in.",
    ),
    Project(
        "Liaison and Diversion",
        ("Public health / health", "Health and police joint lead"),
        "NHS England, custody, courts, probation, CRC, substance misuse services",
        "Identify mental health, learning disability and substance misuse needs at the earliest "
        "point in custody and divert to support",
        "Ongoing (national roll out)",
        ("National, delivered locally", "Local", "National"),
        "L&D practitioners based in custody suites; consent-based sharing with NHS systems",
        "NHS England national dataset and KPIs, quarterly reporting",
        "Needs a named lead in custody and proper IT access for the practitioners",
    ),
    Project(
        "Mental Health First Aid",
        ("Police", "Police and other"),
        "MHFA England, local Mind, Fire Service",
        "Train front line officers and staff in mental health first aid so they recognise and "
        "respond to people in distress, including colleagues",
        "18 months",
        ("Local", "Force wide"),
        "N/A - training only",
        "Course evaluations, staff wellbeing survey, number trained (over 400)",
        "Backfill for training time is the hardest part",
    ),
    Project(
        "High Intensity Users",
        ("Police", "Health and police joint lead", "Public health / health"),
        "A&E, ambulance trust, mental health trust, ASC",
        "Care packages for the small number of people who call police and health services most "
        "often",
        "12 month pilot, extended",
        ("Local",),
        "Information sharing agreement, named individuals only, reviewed at monthly panel",
        "Calls for service and A&E attendances before/after for the cohort",
        "A small cohort drives a huge amount of demand; case management works",
    ),
    Project(
        "Sexual Assault Referral Centre (SARC)",
        ("Public health / health", "OPCC", "Health and police joint lead"),
        "NHS England, OPCC, ISVA service, police",
        "Forensic medical examination, aftercare and ISVA support for victims of rape and sexual "
        "assault, self referral or police referral",
        "Ongoing contract (3+2 years)",
        ("Force wide", "Regional", "Local"),
        "Consent of the victim; SARC protocol with police",
        "NHS England SARC indicators, victim feedback",
        "Joint commissioning needs one contract manager, not three",
    ),
    Project(
        "REST Centre",
        ("Police and other", "Community safety team", "Health and police joint lead"),
        "City council, substance misuse provider, police, ambulance, outreach charities",
        "Rehabilitation, Education, Support & Treatment for street drinkers in the city centre "
        "over the summer, and to reduce the anti-social behaviour that goes with street drinking",
        "June to September, 3rd year running",
        ("Local",),
        "Shared case list, consent from clients",
        "Independent evaluation: £4.80 back for every £1 spent; wellbeing scores improved",
        "Start planning in January, not May",
    ),
    Project(
        "MATAC (Multi Agency Tasking and Co-ordination)",
        ("Police", "Police and other", "Home office"),
        "Local authorities, Women's Aid, probation, housing, health visitors",
        "Identify and tackle the most harmful serial perpetrators of domestic abuse",
        "2 years (innovation funding) then mainstreamed",
        ("Force wide", "Regional"),
        "ISA under Crime and Disorder Act s115",
        "Re-offending rates of MATAC perpetrators, evaluation by Northumbria University",
        "Perpetrator focus changes the conversation",
    ),
    Project(
        "Early Intervention Hub",
        (
            "Police and other",
            "Health and police joint lead",
            "Home office",
            "Name of the multiagency partnership given",
        ),
        "Healthcare NHS foundation trust, school inclusion team, children's and adult social care, "
        "youth offending, district councils",
        "A multi-agency hub that picks up children and families at the first sign of ACEs and "
        "offers support before crisis",
        "3 years",
        ("Local", "County wide"),
        "Co-located staff, each on their own system with read access, overarching ISA",
        "Outcome framework built with the Early Intervention Foundation; academic evaluation",
        "Early intervention takes years to show results - you need patient funders",
    ),
    Project(
        "Connect - evidence based policing",
        ("Police", "Health and police joint lead", "Name of the multiagency partnership given"),
        "University of York, College of Policing, NHS trusts, county council, fire and rescue",
        "Find better ways of dealing with mental health issues through research, sharing what "
        "works and improved training",
        "2016-2019",
        ("Local", "Regional"),
        "Research data anonymised by the university",
        "Academic evaluation (University of York)",
        "Academic partners bring rigour but work to different timescales",
    ),
    Project(
        "Drug and alcohol arrest referral",
        ("Public health / health", "Police"),
        "Substance misuse provider, custody, probation",
        "Refer people arrested for trigger offences into treatment",
        "Ongoing",
        ("Local", "Force wide"),
        "Consent form signed in custody",
        "Numbers assessed and entering treatment (NDTMS)",
        "Keep workers in custody at peak times",
    ),
    Project(
        "Herbert Protocol (dementia)",
        ("Police", "Police and other"),
        "Care homes, Alzheimer's Society, adult social care",
        "Families and carers hold key information so a missing person with dementia can be found "
        "quickly",
        "Ongoing since 2016",
        ("Force wide",),
        "Form held by the family, given to police only if the person goes missing",
        "Time to locate, number of forms registered",
        "Simple, cheap and families like it",
    ),
    Project(
        "OPCC Criminal Justice & Mental Health Forum",
        ("OPCC",),
        "Police, CCGs, mental health trust, probation, CRC, courts, voluntary sector",
        "Bring partners together to improve outcomes for people with mental health needs in the "
        "criminal justice system",
        "Ongoing (quarterly forum)",
        ("Force area",),
        "No personal data - strategic forum",
        "Action plan monitoring",
        "Needs a clear work plan",
    ),
    Project(
        "Proactive vulnerability engagement team",
        ("Police", "Police and other"),
        "Adult social care, mental health trust, housing",
        "Officers working with partners to proactively manage repeat vulnerable callers",
        "Pilot 12 months",
        ("Local",),
        "Case by case under the ISA",
        "Repeat calls, officer hours saved",
        "Buy-in from the control room is essential",
    ),
    Project(
        "Violence Prevention Alliance",
        ("Name of the multiagency partnership given", "Public health / health"),
        "Police, PHE, local authorities, NHS trusts, universities, licensed trade",
        "Public health approach to violence: prevent violence before it happens",
        "Since 2010",
        ("Regional",),
        "Anonymised A&E assault data shared with police (ISTV)",
        "Hospital admissions for assault, police recorded violence",
        "Needs a long term commitment and a small secretariat",
    ),
    Project(
        "Custody healthcare commissioning",
        ("Public health / health", "Health and police joint lead"),
        "NHS England Health & Justice, police forces, healthcare provider",
        "Transfer commissioning of custody healthcare to the NHS and improve standards",
        "Ongoing",
        ("National", "Regional"),
        "Clinical records held by the provider",
        "Health & Justice indicators of performance",
        "Do it force by force, not all at once",
    ),
    Project(
        "Transforming Lives",
        ("Name of the multiagency partnership given", "Public health / health", "Police and other"),
        "Police, councils, schools, NHS, voluntary sector",
        "Work with families with multiple ACEs to build resilience and prevent escalation",
        "3 years",
        ("Local",),
        "Family consent plus ISA",
        "Local evaluation against an outcomes framework",
        "Trauma informed training for all staff was the real change",
    ),
    Project(
        "Say No To Drunks",
        ("Police and other", "Community safety team", "Police"),
        "Licensing, licensed trade, council, CSP",
        "Stop sales of alcohol to people who are "
        "already drunk, to reduce violence and injury in the night time economy",
        "Summer and Christmas campaigns",
        ("Local", "Town centre"),
        "N/A",
        "Test purchase results, A&E attendances on Friday/Saturday nights",
        "The trade wanted to help once they saw the data",
    ),
    Project(
        "Missing persons and mental health protocol",
        ("Police", "Health and police joint lead", "Home office"),
        "NHS England, mental health trusts, NPCC",
        "Reduce the number of people who go missing "
        "from mental health settings and improve the joint response",
        "Ongoing",
        ("National",),
        "National protocol, local ISAs",
        "Missing episodes from MH units",
        "Definitions of missing and absent need to be shared",
    ),
)

WORKS = (
    (
        "Street triage",
        "MH nurses in the control room and the triage car with officers. Partners: "
        "mental health trust, CCG",
    ),
    ("Liaison & Diversion", "NHS England commissioned service in custody suites and courts"),
    ("Mental health first aid", "Training for frontline officers, with Mind"),
    ("S136 suite", "Health based place of safety so nobody goes to a cell"),
    ("Crisis Care Concordat", "Action plan with all partners, reviewed quarterly"),
    ("High intensity users", "Frequent callers to 999 and A&E - joint care plans"),
    ("SARC", "Sexual Assault Referral Centre, co-commissioned with NHS England"),
    (
        "CSE prevention",
        "Awareness sessions in schools, hotels and taxi trade; CSE nurse in the MASH",
    ),
    ("MASH", "Multi Agency Safeguarding Hub - health staff co-located"),
    ("MATAC", "Targeting serial perpetrators of domestic abuse"),
    ("Domestic abuse - IDVA in A&E", "IDVAs based in the emergency department"),
    ("Drug and alcohol referral", "Arrest referral workers in custody"),
    ("Support for street drinkers", "Outreach with the council and the alcohol service"),
    ("Night time economy", "Say no to drunks, street pastors, SOS bus"),
    ("Dementia friends", "All PCSOs trained; Herbert Protocol launched"),
    ("Missing persons", "Joint protocol with mental health units and care homes"),
    ("Suicide prevention", "Real time surveillance of suspected suicides with public health"),
    ("Early intervention hub", "Multi-agency hub for children and families with ACEs"),
    ("ACE training", "Trauma informed practice training for officers and partners"),
    ("Custody healthcare", "NHS commissioned custody nurses"),
    ("Modern slavery", "Joint training with health visitors and A&E staff"),
    ("LGBT victim support", "Hate crime and DA support with an LGBT charity"),
    ("Vulnerable victims support", "Victim hub with health and council"),
    ("Women's support workers", "Support for women in custody, with the women's centre"),
    ("Research collaboration", "PhD student looking at mental health demand"),
    ("Offender health", "Integrated offender management with substance misuse services"),
    ("Sex worker engagement", "Outreach van with the sexual health service"),
    ("Concern for welfare", "Review of concern for welfare calls with adult social care"),
    ("Radicalisation - Prevent", "Prevent leads in NHS trusts, Channel panel"),
    ("Veterans", "Veterans' mental health pathway"),
)

PRIORITY_THEMES = (
    "mental health problems",
    "vulnerability",
    "sexual crimes",
    "violent and abusive crimes",
    "substance misuse",
    "offender healthcare",
)
PRIORITY_FRAGMENTS = {
    "mental health problems": (
        "Mental health",
        "mental health and people in crisis",
        "Reducing s136 detentions",
        "Crisis Care Concordat",
        "Suicide prevention",
        "mental ill health",
        "Street triage",
        "Mental health - demand and response",
    ),
    "vulnerability": (
        "Vulnerability",
        "Protecting vulnerable people",
        "Safeguarding",
        "Missing persons",
        "ACEs / early intervention",
        "Hidden harm",
        "Modern slavery and exploitation",
    ),
    "sexual crimes": (
        "Rape and serious sexual offences",
        "CSE",
        "Sexual abuse (SARC)",
        "Child sexual abuse",
    ),
    "violent and abusive crimes": (
        "Domestic abuse",
        "Violent crime",
        "Knife crime",
        "Domestic violence perpetrators (MATAC)",
        "Stalking",
    ),
    "substance misuse": (
        "Substance misuse",
        "Drugs and alcohol",
        "Alcohol related harm",
        "New psychoactive substances (spice)",
        "Alcohol",
    ),
    "offender healthcare": (
        "Health in custody",
        "Offender health",
        "Liaison and diversion",
        "Reducing reoffending",
        "Integrated Offender Management",
    ),
}
PRIORITY_TARGETS = {
    "mental health problems": 27,
    "vulnerability": 19,
    "substance misuse": 14,
    "violent and abusive crimes": 13,
    "sexual crimes": 9,
    "offender healthcare": 8,
}

DEMAND_THEMES = (
    "mental health",
    "vulnerable people",
    "violent and abusive crimes",
    "substance misuse",
    "child sexual exploitation",
)
DEMAND_FRAGMENTS = {
    "mental health": (
        "Mental health",
        "Mental health related calls - about 1 in 5 incidents",
        "S136 and people in crisis",
        "Section 136 detentions",
        "Suicide and self harm",
        "mental health",
        "MH patients absconding from wards",
        "People in mental health crisis waiting hours in A&E with officers",
    ),
    "vulnerable people": (
        "Vulnerable people",
        "Missing persons (especially from care)",
        "Elderly people with dementia",
        "High intensity users / frequent callers",
        "Vulnerability",
        "Homeless people",
    ),
    "violent and abusive crimes": (
        "Domestic abuse",
        "Violence in the night time economy",
        "Knife crime",
        "Stalking and harassment",
        "Violent crime",
    ),
    "substance misuse": (
        "Alcohol",
        "Drugs",
        "Spice",
        "Drug and alcohol misuse",
        "Substance misuse",
    ),
    "child sexual exploitation": ("CSE", "Child sexual exploitation", "Online grooming"),
}
DEMAND_TARGETS = {
    "mental health": 36,
    "vulnerable people": 17,
    "violent and abusive crimes": 12,
    "substance misuse": 11,
    "child sexual exploitation": 9,
}
MANUAL_DEMAND = (
    "Calls where nobody else is available out of hours - we end up as the service of last resort",
    "vulnerable people",
)

LEADERSHIP = (
    "Joint leadership programme with the CCG",
    "Chief officer lead for mental health",
    "Force vulnerability board chaired by the DCC",
    "Senior leaders attend the HWB",
    "Leadership days on ACEs and trauma informed practice",
    "Co-funded strategic post (police/public health)",
    "NA",
    "Via the PCC's partnership board",
)
SKILLS = (
    "Mental health awareness training for all frontline staff",
    "MHFA for supervisors",
    "Joint training with the mental health trust",
    "Dementia friends sessions",
    "ACE awareness training",
    "Vulnerability training (College of Policing)",
    "Secondments between police and public health",
    "Shadowing in the control room",
)
RECRUITMENT = (
    "N/A",
    "None specifically",
    "Mental health nurses recruited into the control room",
    "Values based recruitment",
    "Joint posts",
    "Police Now graduates on the vulnerability programme",
    "-",
)
INFO_ENABLERS = (
    "Information sharing agreements",
    "Clear ISA signed at the top",
    "Co-location",
    "Good relationships",
    "A shared vision of what we want to achieve",
    "IT systems that talk to each other (rarely!)",
    "MASH protocols",
    "Caldicott guardian involved early",
    "Common sense approach",
)
INFO_BLOCKERS = (
    "Risk aversion",
    "Lack of understanding of what can be shared",
    "IT systems",
    "Different systems in each NHS trust",
    "No national ownership",
    "Data protection worries, GDPR coming",
    'Health colleagues say "we can\'t share that"',
    "Time to get agreements signed off",
)
COLLAB_ENABLERS = (
    "Shared goals",
    "Relationships and trust",
    "Strong leadership",
    "Joint commissioning",
    "The Welsh Future Generations Act",
    "Co-location",
    "Senior sponsorship",
    "Shared outcomes framework",
)
COLLAB_BLOCKERS = (
    "Funding cuts",
    "Complexity of the NHS structures",
    "Short term funding",
    "Different priorities and targets",
    "Staff turnover",
    "Legislation - different duties",
    "Competing demands",
    "Organisational boundaries don't match",
)
COMMENTS = (
    "A national steer on information sharing would help.",
    "The consensus is welcome - we need to keep the momentum.",
    "More evidence on what works for early intervention please",
    "Would be good to share practice across forces, e.g. a library of case studies",
    "Policing is the service of last resort for mental health - needs to change.",
    "Health and wellbeing boards don't always see police as partners.",
    "Keen to be involved in any case study work.",
    "ACEs is where we see the future of this work",
    "NA",
    "Wales has different structures - public service boards, not HWBs",
)

INTROS = {
    ("Q7. Priorities", "police"): (
        "",
        "",
        "",
        "Our priorities are: ",
        "Police and Crime Plan priorities - ",
        "Key priorities:\n",
        "In the Police and Crime Plan: ",
    ),
    ("Q7. Priorities", "national"): (
        "",
        "",
        "",
        "Our priorities are: ",
        "Key priorities:\n",
        "Current priorities - ",
    ),
    ("Q8. Greatest demand", "police"): (
        "",
        "",
        "",
        "By volume: ",
        "Greatest demand: ",
        "Demand and concern:\n",
    ),
    ("Q8. Greatest demand", "national"): ("", "", "", "Greatest concern: ", "Demand:\n"),
}
PLAN_LINK = " - see https://www.example.org/police-and-crime-plan"

# --------------------------------------------------------------------------------------
# Small helpers.
# --------------------------------------------------------------------------------------


def norm_key(name: str) -> str:
    """Python twin of the dbt project's normalisation key (DuckDB regexp_replace)."""
    text = name.lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def pick(rng: random.Random, pool, k: int, weights=None, force=()) -> list:
    """k distinct members of pool (weighted, without replacement); members of force come first."""
    chosen = [m for m in force if m in pool][:k]
    rest = [m for m in pool if m not in chosen]
    w = [weights[m] for m in rest] if weights else [1.0] * len(rest)
    while len(chosen) < k:
        total = sum(w)
        x = rng.random() * total
        for i, wi in enumerate(w):
            x -= wi
            if x <= 0 or i == len(w) - 1:
                chosen.append(rest.pop(i))
                w.pop(i)
                break
    return chosen


def cover(rng: random.Random, members: list, sizes: dict[str, int]) -> dict[str, list]:
    """Subsets of members with the given sizes whose union is exactly members."""
    uncovered = list(members)
    rng.shuffle(uncovered)
    out = {}
    for item, k in sorted(sizes.items(), key=lambda kv: -kv[1]):
        take = uncovered[:k]
        uncovered = uncovered[k:]
        others = [m for m in members if m not in take]
        take += rng.sample(others, k - len(take))
        out[item] = take
    assert not uncovered, "subset sizes cannot cover the answered set"
    return {item: out[item] for item in sizes}


def mess(rng: random.Random, text: str) -> str:
    """The small untidiness of typed answers."""
    r = rng.random()
    if r < 0.06:
        return text + " "
    if r < 0.09:
        return " " + text
    if r < 0.12 and text.endswith("."):
        return text[:-1]
    if r < 0.15 and not text.endswith("."):
        return text + "."
    return text


def join_list(rng: random.Random, parts: list[str]) -> str:
    style = rng.randrange(5)
    if len(parts) == 1:
        return parts[0]
    if style == 0:
        return "\n".join(f"- {p}" for p in parts)
    if style == 1:
        return "\n".join(f"{i}. {p}" for i, p in enumerate(parts, 1))
    if style == 2:
        return "; ".join(parts)
    tail = [p[0].lower() + p[1:] if p[:2] != p[:2].upper() else p for p in parts[1:]]
    if style == 3:
        return ", ".join([parts[0], *tail])
    return ", ".join([parts[0], *tail[:-1]]) + " and " + tail[-1]


# --------------------------------------------------------------------------------------
# Respondents.
# --------------------------------------------------------------------------------------

PAGES = {
    # page number -> header prefixes on that page (the platform saves page by page)
    "police": {
        1: ("Q1.", "Q2.", "Q3."),
        2: ("Q4.",),
        3: ("Q5.", "Q6."),
        4: ("Q7.", "Q8."),
        5: ("Q9.", "Q10.", "Q11.", "Q12."),
        6: ("Q13.",),
    },
    "national": {
        1: ("Q1.", "Q2.", "Q3."),
        2: ("Q4.",),
        3: ("Q5.", "Q6."),
        4: ("Q7.", "Q8."),
        5: ("Q9.", "Q10.", "Q11."),
        6: ("Q12.",),
    },
}


def page_of(version: str, header: str) -> int:
    for page, prefixes in PAGES[version].items():
        if header.startswith(prefixes):
            return page
    return 0


@dataclass(eq=False)
class Response:
    version: str
    kind: str  # included | identity | nodata
    status: str
    org: Org | None = None
    typed_org: str = ""
    reached: int = 6  # last page reached (for partial responses)
    weight: float = 1.0
    cells: dict[str, str] = field(default_factory=dict)
    started: dt.datetime | None = None
    ended: dt.datetime | None = None
    snapshot_cut: int = 6  # pages already saved at the snapshot (national only)
    project: Project | None = None  # the good-practice project, when one was described
    response_id: int = 0
    ip: str = ""


def contact(rng: random.Random, cells: dict[str, str]) -> None:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    name = f"{first} {last}"
    if rng.random() < 0.15:
        name = f"{rng.choice(('DS', 'Insp', 'Dr', 'PC', 'Ms', 'Mr'))} {name}"
    email = f"{first}.{last}".lower().replace("'", "") + "@example.org"
    if rng.random() < 0.1:
        email = f"{first}.{last}@example.org"
    cells["Q3. Name"] = name
    cells["Q3. Phone number"] = f"07700 900{rng.randrange(1000):03d}"
    cells["Q3. Email"] = email


def org_by_name(orgs, name) -> Org:
    return next(o for o in orgs if o.name == name)


def force_label(org: Org) -> str:
    return org.name if org.kind == "police force" else "Police"


def build_police(rng: random.Random):
    annex = [o for o in POLICE_ORGS if o.annex1]
    orgs = annex + [org_by_name(POLICE_ORGS, n) for n in POLICE_TWICE]
    included = []
    seen: dict[str, int] = {}
    for org in orgs:
        n = seen.get(org.name, 0)
        seen[org.name] = n + 1
        included.append(
            Response("police", "included", "Completed", org, org.typed[n % len(org.typed)])
        )
    rng.shuffle(included)
    # 8 of the 40 never finished: they stopped after page 2..5 (all of them ticked Q4).
    partial_reach = (2, 2, 2, 3, 3, 4, 4, 5)
    # (the Welsh forces finished: they answered Q9, on public service boards, not HWBs)
    forces = [r for r in included if r.org.kind == "police force" and not is_welsh(r)]
    for r, reach in zip(forces[:8], partial_reach, strict=True):
        r.status, r.reached = "Partial", reach
    for r in included:
        r.weight = rng.uniform(1.0, 2.2) if r.status == "Completed" else rng.uniform(0.3, 0.8)
    # Two OPCCs skipped the grid (it asks about "your Force") but answered later questions.
    no_grid = [r for r in included if r.org.kind == "OPCC"][:2]
    return included, no_grid


def build_national(rng: random.Random):
    included = [
        Response("national", "included", "Completed", o, o.typed[0])
        for o in NATIONAL_ORGS
        if o.annex1
    ]
    rng.shuffle(included)
    included[0].status, included[0].reached = "Partial", 5
    for r in included:
        r.weight = rng.uniform(1.0, 2.2) if r.status == "Completed" else 0.6
    return included, []


def fill_identity(rng: random.Random, r: Response, role: bool = True) -> None:
    c = r.cells
    q1 = "Q1. Police Force" if r.version == "police" else "Q1. Organisation / Agency"
    q2 = "Q2. Role/rank" if r.version == "police" else "Q2. Role"
    c[q1] = r.typed_org
    if role:
        if r.version == "police":
            pool = OPCC_ROLES if r.org.kind == "OPCC" else POLICE_ROLES
            c[q2] = mess(rng, rng.choice(pool))
        else:
            c[q2] = mess(rng, r.org.role)
    contact(rng, c)


def fill_grid(rng: random.Random, version: str, tickers: list[Response], figures) -> None:
    ticks: dict[int, int] = {id(r): 0 for r in tickers}
    weights = {id(r): r.weight for r in tickers}
    by_id = {id(r): r for r in tickers}
    cells_by_option = []
    for area in AREAS:
        report_area = area_figure_name(area)
        for option, key in zip(GRID_OPTIONS, ("completed", "active", "future"), strict=True):
            n = int(figures[f"annex2.{version}.q4.{report_area}.{key}"])
            chosen = pick(rng, list(ticks), n, weights)
            header = f"Q4. {area}: {option}"
            for rid in chosen:
                by_id[rid].cells[header] = option
                ticks[rid] += 1
            cells_by_option.append((header, option))
    # everybody who ticks ticks something: move a tick from the busiest respondent
    for rid in list(ticks):
        while ticks[rid] == 0:
            donor = max(ticks, key=lambda k: ticks[k])
            header, option = next(
                (h, o)
                for h, o in cells_by_option
                if by_id[donor].cells.get(h) and not by_id[rid].cells.get(h)
            )
            del by_id[donor].cells[header]
            by_id[rid].cells[header] = option
            ticks[donor] -= 1
            ticks[rid] += 1


def area_figure_name(area: str) -> str:
    """The report spells areas like Table 1 (sentence case, 'ACE (adverse child experiences)')."""
    if area == "ACE (Adverse Child Experiences)":
        return "ACE (adverse child experiences)"
    return area[0] + area[1:].lower()


def load_figures() -> dict[str, float]:
    with FIGURES.open(encoding="utf-8", newline="") as fh:
        return {row["figure_id"]: float(row["value"]) for row in csv.DictReader(fh)}


def reached(rs: list[Response], page: int) -> list[Response]:
    return [r for r in rs if r.reached >= page]


def w(rs: list[Response]) -> dict[int, float]:
    return {id(r): r.weight for r in rs}


def choose(rng: random.Random, pool: list[Response], k: int, force=()) -> list[Response]:
    ids = pick(rng, [id(r) for r in pool], k, w(pool), force=[id(r) for r in force])
    by_id = {id(r): r for r in pool}
    chosen = [by_id[i] for i in ids]
    return [r for r in pool if r in chosen]  # keep the pool's (deterministic) order


class Texts:
    """Draws free-text answers; remembers which answers went to manual coding."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.manual: list[tuple[Response, str, str]] = []  # (response, question_key, category)
        self.manual_done: dict[str, bool] = {}
        self.used: dict[str, list[str]] = {}  # funding texts already given (vary the wording)

    def text(self, pool) -> str:
        return mess(self.rng, self.rng.choice(pool))

    def good_practice(self, version, rs: list[Response], blanks: dict[str, int]) -> None:
        rng = self.rng
        q = "Q5." if version == "police" else "Q6."
        pairs = list(GOOD_PRACTICE_PAIRS[version])
        assert len(pairs) == len(rs)
        rng.shuffle(pairs)
        assignment: dict[int, tuple[str, str]] = {}
        for lead_cat, wanted in PREFERRED_LEADS.get(version, ()):
            pair = next(p for p in pairs if p[0] == lead_cat)
            who = next(r for r in rs if id(r) not in assignment and wanted(r))
            assignment[id(who)] = pair
            pairs.remove(pair)
        for r in rs:
            if id(r) not in assignment:
                assignment[id(r)] = pairs.pop()
        blank_items = {item: choose(rng, rs, k) for item, k in blanks.items()}
        for r in rs:
            lead_cat, fund_cat = assignment[id(r)]
            lead = self.lead_text(r, lead_cat)
            funding = self.funding_text(r, fund_cat)
            project = rng.choice([p for p in PROJECTS if lead_cat in p.leads] or PROJECTS)
            r.project = project
            values = {
                "Lead Agency": lead,
                "Other Agencies/Partners involved": project.partners,
                "Main aim": project.aim,
                "Duration": project.duration,
                "Funding": funding,
                "Scale": rng.choice(project.scales),
                "Data sharing": project.data,
                "Impact measurement": project.impact,
                "Key lessons": project.lessons,
            }
            if lead_cat == "NA":
                values.update({"Duration": "n/a", "Key lessons": "NA", "Scale": "National"})
            for item, value in values.items():
                if item in blank_items and r in blank_items[item]:
                    continue
                if item not in ("Lead Agency", "Funding"):
                    value = mess(rng, value)
                r.cells[f"{q} {item}"] = value

    def lead_text(self, r: Response, category: str) -> str:
        if category == "Police" and r.version == "police" and not self.manual_done.get("lead"):
            self.manual_done["lead"] = True
            self.manual.append((r, "lead_agency", MANUAL_LEAD[1]))
            return MANUAL_LEAD[0]
        if category == "Name of the multiagency partnership given":
            return LEAD_TEXTS[category][1 if "West Midlands" in r.org.name else 0]
        text = self.rng.choice(LEAD_TEXTS[category])
        if "{force}" in text:
            if r.org.kind != "police force":
                return self.rng.choice(("Police", "police"))
            text = text.format(force=r.org.name)
        return text

    def funding_text(self, r: Response, category: str) -> str:
        if (
            category == "cost-neutral / no additional funding"
            and r.version == "police"
            and not self.manual_done.get("funding")
        ):
            self.manual_done["funding"] = True
            self.manual.append((r, "funding", MANUAL_FUNDING[1]))
            return MANUAL_FUNDING[0]
        pool = FUNDING_TEXTS[category]
        used = self.used.setdefault(category, [])
        fresh = [t for t in pool if t not in used] or list(pool)
        text = self.rng.choice(fresh)
        used.append(text)
        return text

    def works(self, version, rs: list[Response], counts: list[int]) -> None:
        """counts[k] respondents answer Work k+1 (nested: Work k+1 answerers answered Work k)."""
        rng = self.rng
        q = "Q6." if version == "police" else "Q5."
        layers = [rs]
        for k in counts[1:]:
            layers.append(choose(rng, layers[-1], k))
        for r in rs:
            n = sum(1 for layer in layers if r in layer)
            works = rng.sample(WORKS, n)
            if r.project is not None and rng.random() < 0.7:
                works[0] = (r.project.title, r.project.aim)  # "from the list ... select ONE"
            for i, (title, brief) in enumerate(works, 1):
                style = rng.random()
                if style < 0.1:
                    title, brief = "", f"{title} - {brief}"
                elif style < 0.2:
                    brief = ""
                elif style < 0.25:
                    brief = f'{brief}, "{rng.choice(("pilot", "business as usual", "early days"))}"'
                if title:
                    r.cells[f"{q} Work {i}: Title"] = mess(rng, title)
                if brief:
                    r.cells[f"{q} Work {i}: Brief"] = mess(rng, brief)

    def themed(self, rs, themes, fragments, targets, header, manual=None) -> None:
        rng = self.rng
        pool = list(rs)
        if manual:
            r = pool.pop(rng.randrange(len(pool)))
            r.cells[header] = manual[0]
            self.manual.append((r, "demand", manual[1]))
        chosen: dict[int, list[str]] = {id(r): [] for r in pool}
        for theme in themes:
            for r in rng.sample(pool, targets[theme]):
                chosen[id(r)].append(theme)
        minor = [t for t in themes if t != themes[0]]
        for r in pool:
            ts = chosen[id(r)] or [rng.choice(minor)]
            rng.shuffle(ts)
            parts = [rng.choice(fragments[t]) for t in ts]
            text = join_list(rng, parts)
            intro = rng.choice(INTROS[header, r.version])
            if intro and len(parts) > 1:
                text = intro + text
            if header == "Q7. Priorities" and r.version == "police" and rng.random() < 0.15:
                text += PLAN_LINK
            r.cells[header] = mess(rng, text)

    def free(self, rs, header, pool, two=0.3) -> None:
        for r in rs:
            parts = self.rng.sample(pool, 2 if self.rng.random() < two else 1)
            r.cells[header] = mess(self.rng, join_list(self.rng, parts))


def fill_included(rng, version, rs: list[Response], no_grid: list[Response], figures, texts: Texts):
    def fig(name):
        return int(figures[f"annex2.{version}.{name}"])

    for r in rs:
        fill_identity(rng, r)
    tickers = [r for r in rs if r not in no_grid]
    fill_grid(rng, version, tickers, figures)
    if version == "police":
        p3, p4, p5 = reached(rs, 3), reached(rs, 4), reached(rs, 5)
        gp = choose(
            rng,
            p3,
            fig("q5.Lead Agency.answered"),
            force=[r for r in p3 if r.org.name == "West Midlands Police"]
            + [r for r in p3 if r.org.kind == "OPCC"][:1],
        )
        texts.good_practice(version, gp, {"Other Agencies/Partners involved": 1, "Key lessons": 1})
        w1 = choose(rng, p3, fig("q6.Work 1.response_total"), force=gp[:20])
        texts.works(version, w1, [len(w1), fig("q6.Work 2.response_total"), 19, 12, 7])
        q7 = choose(rng, p4, fig("q7.Priorities.answered"), force=no_grid)
        q8 = choose(rng, p4, fig("q8.Greatest demand.answered"), force=q7[:20])
        q9 = choose(rng, p5, fig("q9.answered"), force=[r for r in p5 if is_welsh(r)])
        fill_hwb(rng, q9, figures)
        sections = {
            "Q10.": ("q10", ("Leadership", "Developing employee skill sets", "Recruitment")),
            "Q11.": ("q11", ("Information sharing: Enablers", "Information sharing: Blockers")),
            "Q12.": ("q12", ("Collaboration: Enablers", "Collaboration: Blockers")),
        }
        last = ("Q13. Further comments", fig("q13.Further comments.answered"), reached(rs, 6))
    else:
        p3, p4, p5 = reached(rs, 3), reached(rs, 4), reached(rs, 5)
        gp = choose(
            rng,
            p3,
            fig("q6.Lead Agency.answered"),
            force=[
                r
                for r in p3
                if r.org.parent_name == NPCC
                or r.org.name == "Public Health England – Health and Wellbeing"
            ],
        )
        blanks = {
            item: fig(f"q6.{item}.answered") - fig(f"q6.{item}.response_total")
            for item in ("Duration", "Impact measurement", "Key lessons")
        }
        texts.good_practice(version, gp, blanks)
        works = choose(rng, p3, fig("q5.pieces of work.answered"), force=gp)
        texts.works(version, works, [len(works), 10, 7, 4, 2])
        q7 = choose(rng, p4, fig("q7.Priorities.answered"))
        q8 = choose(rng, p4, fig("q8.Greatest demand.answered"))
        sections = {
            "Q9.": ("q9", ("Leadership", "Developing employee skill sets", "Recruitment")),
            "Q10.": ("q10", ("Information sharing: Enablers", "Information sharing: Blockers")),
            "Q11.": ("q11", ("Collaboration: Enablers", "Collaboration: Blockers")),
        }
        last = ("Q12. Further comments", fig("q12.Further comments.answered"), reached(rs, 6))
    return q7, q8, p5, sections, last


def fill_later(rng, version, figures, texts, p5, sections, last) -> None:
    pools = {
        "Leadership": LEADERSHIP,
        "Developing employee skill sets": SKILLS,
        "Recruitment": RECRUITMENT,
        "Information sharing: Enablers": INFO_ENABLERS,
        "Information sharing: Blockers": INFO_BLOCKERS,
        "Collaboration: Enablers": COLLAB_ENABLERS,
        "Collaboration: Blockers": COLLAB_BLOCKERS,
    }
    for prefix, (qkey, items) in sections.items():
        answered = int(figures[f"annex2.{version}.{qkey}.{items[0]}.answered"])
        members = choose(rng, p5, answered)
        sizes = {
            item: int(figures[f"annex2.{version}.{qkey}.{item}.response_total"]) for item in items
        }
        for item, subset in cover(rng, members, sizes).items():
            texts.free(subset, f"{prefix} {item}", pools[item])
    header, n, pool = last
    members = choose(rng, pool, n)
    for r in members:
        r.cells[header] = texts.text(COMMENTS)
    # one respondent typed only spaces into the last box: that is not an answer
    idle = [r for r in pool if r not in members]
    if idle:
        idle[0].cells[header] = "   "


def is_welsh(r: Response) -> bool:
    return any(area in WELSH_AREAS for area in r.org.areas)


def fill_hwb(rng, q9: list[Response], figures) -> None:
    values = (
        ["No"] * int(figures["annex2.police.q9.no"])
        + ["Not known"] * int(figures["annex2.police.q9.not_known"])
        + ["Yes"] * int(figures["annex2.police.q9.yes"])
    )
    welsh = [r for r in q9 if is_welsh(r)]  # "No": Welsh colleagues sit on public service boards
    rest = values[len(welsh) :]
    rng.shuffle(rest)
    for r, value in zip(
        welsh + [r for r in q9 if not is_welsh(r)], values[: len(welsh)] + rest, strict=True
    ):
        r.cells[HWB_HEADER] = value


# --------------------------------------------------------------------------------------
# Excluded rows, timing, ids.
# --------------------------------------------------------------------------------------


def excluded_police(rng) -> list[Response]:
    others = [o for o in POLICE_ORGS if not o.annex1]
    annex = [o for o in POLICE_ORGS if o.annex1]
    rows = []
    for i in range(34):
        org = others[i] if i < len(others) else rng.choice(annex)
        r = Response("police", "identity", "Partial", org, rng.choice(org.typed), reached=1)
        fill_identity(rng, r, role=False)
        if rng.random() < 0.15:  # some gave up half way through the contact details
            del r.cells["Q3. Phone number"]
        rows.append(r)
    rows += [Response("police", "nodata", "Partial", reached=0) for _ in range(57)]
    rows[-1].cells["Q1. Police Force"] = " "  # white space only: still "no data"
    return rows


def excluded_national(rng) -> list[Response]:
    rows = []
    for name, typed, role in NATIONAL_IDENTITY_ONLY:
        org = org_by_name(NATIONAL_ORGS, name)
        r = Response("national", "identity", "Partial", org, typed, reached=1)
        r.cells["Q1. Organisation / Agency"] = typed
        r.cells["Q2. Role"] = role
        rows.append(r)
    rows += [Response("national", "nodata", "Partial", reached=0) for _ in range(10)]
    return rows


def random_moment(rng, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    while True:
        span = (end - start).total_seconds()
        moment = start + dt.timedelta(seconds=int(rng.random() * span))
        if moment.weekday() < 5 and 7 <= moment.hour < 20:
            return moment


def schedule(rng, police: list[Response], national: list[Response]) -> None:
    """Start/end times; 20 national responses start before the 29/09 snapshot."""
    rng.shuffle(national)
    for i, r in enumerate(national):
        if i < 20:
            r.started = random_moment(rng, SURVEY_OPEN, SNAPSHOT_AT - dt.timedelta(hours=20))
        else:
            r.started = random_moment(rng, SNAPSHOT_AT + dt.timedelta(hours=2), SURVEY_CLOSE)
    rng.shuffle(police)
    for r in police:
        r.started = random_moment(rng, SURVEY_OPEN, SURVEY_CLOSE)
    early_completed = [r for r in national[:20] if r.status == "Completed"]
    came_back = early_completed[:4]  # finished after the snapshot: Partial on 29/09
    for r in police + national:
        if r.status != "Completed":
            continue
        if r in came_back:
            r.ended = random_moment(rng, SNAPSHOT_AT + dt.timedelta(hours=1), SURVEY_CLOSE)
            r.snapshot_cut = rng.choice((1, 2, 3, 4))
            continue
        minutes = rng.choice((rng.randint(9, 55), rng.randint(9, 55), rng.randint(60, 60 * 50)))
        r.ended = min(
            r.started + dt.timedelta(minutes=minutes, seconds=rng.randrange(60)),
            FINAL_AT - dt.timedelta(hours=1),
        )
        if r.version == "national" and r.started < SNAPSHOT_AT <= r.ended:
            r.snapshot_cut = 3
    for r in national[:20]:
        if r.status == "Partial" and r.kind == "included":
            r.snapshot_cut = 2  # the kept partial had only done the grid by 29/09


def assign_ids(rng, responses: list[Response]) -> None:
    next_id = FIRST_RESPONSE_ID
    for r in sorted(responses, key=lambda r: r.started):
        r.response_id = next_id
        next_id += rng.randint(40_000, 2_500_000)
    org_ip: dict[str, str] = {}
    for r in sorted(responses, key=lambda r: r.response_id):
        fresh = rng.choice(IP_PREFIXES) + str(rng.randint(1, 254))
        if r.org is not None and r.org.name in org_ip and rng.random() < 0.5:
            fresh = org_ip[r.org.name]  # same organisation, same proxy
        if r.org is not None:
            org_ip.setdefault(r.org.name, fresh)
        r.ip = fresh


# --------------------------------------------------------------------------------------
# Output.
# --------------------------------------------------------------------------------------


def row_of(r: Response, headers, snapshot: bool = False) -> list[str]:
    cut = r.snapshot_cut if snapshot else 6
    status = r.status
    ended = stamp(r.ended) if r.ended else ""
    if snapshot and r.ended and r.ended > SNAPSHOT_AT:
        status, ended = "Partial", ""
    row = [str(r.response_id), stamp(r.started), ended, status, r.ip]
    for h in headers[5:]:
        value = r.cells.get(h, "")
        if page_of(r.version, h) > cut:
            value = ""
        row.append(value)
    return row


def write_csv(path: Path, headers, rows, bom: bool, crlf: bool) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(headers)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def write_xlsx(path: Path, headers, rows) -> None:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(list(headers))
    for row in rows:
        ws.append([value if value != "" else None for value in row])
    wb.properties.creator = "Survey platform export"
    wb.properties.created = XLSX_PROPERTIES_AT
    wb.properties.modified = XLSX_PROPERTIES_AT
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # save_workbook() would stamp "modified" with now()
    # re-pack with fixed member timestamps so the file is reproducible too
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=XLSX_PROPERTIES_AT.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def write_seed(path: Path, header, rows) -> None:
    write_csv(path, header, rows, bom=False, crlf=False)


def write_seeds(seeds: Path, police: list[Response], national: list[Response], manual) -> None:
    all_orgs = POLICE_ORGS + NATIONAL_ORGS
    write_seed(
        seeds / "police_force_areas.csv", ("police_force_area", "country"), POLICE_FORCE_AREAS
    )
    write_seed(
        seeds / "organisations.csv",
        ("organisation", "organisation_type", "parent_organisation"),
        [(o.name, o.kind, o.parent) for o in all_orgs],
    )
    write_seed(
        seeds / "organisation_force_areas.csv",
        ("organisation", "police_force_area"),
        [(o.name, a) for o in POLICE_ORGS for a in o.areas],
    )
    aliases: dict[str, str] = {}
    names = [(o.name, o) for o in all_orgs] + [(t, o) for o in all_orgs for t in o.typed]
    names += [(r.typed_org, r.org) for r in police + national if r.org is not None]
    names += [(typed, org_by_name(NATIONAL_ORGS, n)) for n, typed, _ in NATIONAL_IDENTITY_ONLY]
    for name, org in names:
        key = norm_key(name)
        assert aliases.setdefault(key, org.name) == org.name, f"alias clash: {key}"
    write_seed(
        seeds / "organisation_aliases.csv", ("alias_key", "organisation"), sorted(aliases.items())
    )
    write_seed(
        seeds / "manual_codes.csv",
        ("survey", "response_id", "question_key", "category"),
        sorted((r.version, str(r.response_id), key, cat) for r, key, cat in manual),
    )


def build(rng: random.Random):
    figures = load_figures()
    texts = Texts(rng)
    police_in, police_no_grid = build_police(rng)
    national_in, national_no_grid = build_national(rng)
    out = {}
    for version, rs, no_grid in (
        ("police", police_in, police_no_grid),
        ("national", national_in, national_no_grid),
    ):
        out[version] = fill_included(rng, version, rs, no_grid, figures, texts)
    # coded answers draw on both versions at once (the report codes them together)
    q7 = out["police"][0] + out["national"][0]
    q8 = out["police"][1] + out["national"][1]
    texts.themed(q7, PRIORITY_THEMES, PRIORITY_FRAGMENTS, PRIORITY_TARGETS, "Q7. Priorities")
    texts.themed(
        q8,
        DEMAND_THEMES,
        DEMAND_FRAGMENTS,
        DEMAND_TARGETS,
        "Q8. Greatest demand",
        manual=MANUAL_DEMAND,
    )
    for version in ("police", "national"):
        _, _, p5, sections, last = out[version]
        fill_later(rng, version, figures, texts, p5, sections, last)
    police = police_in + excluded_police(rng)
    national = national_in + excluded_national(rng)
    schedule(rng, police, national)
    assign_ids(rng, police + national)
    police.sort(key=lambda r: r.response_id)
    national.sort(key=lambda r: r.response_id)
    return police, national, texts.manual


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "reference" / "extracts")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    args = parser.parse_args(argv)
    police, national, manual = build(random.Random(SEED))
    args.out.mkdir(parents=True, exist_ok=True)
    args.seeds.mkdir(parents=True, exist_ok=True)
    write_csv(
        args.out / "police_20171020.csv",
        POLICE_HEADERS,
        [row_of(r, POLICE_HEADERS) for r in police],
        bom=True,
        crlf=True,
    )
    write_csv(
        args.out / "national_20171020.csv",
        NATIONAL_HEADERS,
        [row_of(r, NATIONAL_HEADERS) for r in national],
        bom=False,
        crlf=False,
    )
    early = [r for r in national if r.started < SNAPSHOT_AT]
    write_xlsx(
        args.out / "national_20170929.xlsx",
        NATIONAL_HEADERS,
        [row_of(r, NATIONAL_HEADERS, snapshot=True) for r in early],
    )
    write_seeds(args.seeds, police, national, manual)


if __name__ == "__main__":
    main()
