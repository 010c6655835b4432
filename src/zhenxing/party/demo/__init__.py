"""The demo city's party building (提升组织力): organisations, members, village cadres, reserve
talent and a year of training over the 451 villages the demo already holds.

Everything is drawn from the registry demo's residents: every member and cadre is a registered,
living adult of the village concerned, so ages, sexes, education and ethnic groups on the
dashboards are the registry's. What is built:

- 29 joint-village party committees (联村党委) over neighbouring villages of a township (the
  smallest townships share one, a border committee crosses two big ones, the biggest are split),
  named after their central village; each village's own branch (党支部), or general branch
  (党总支) / committee (村党委) for the biggest villages, under its joint committee;
- party organisations in some cooperatives, companies and social organisations and the
  刺梨 industry-chain committee, and a few units with three or more member-employees and no
  organisation, so "应建尽建" has something to report;
- members in every stage of the pipeline, dated by the same rules the services enforce (a talk
  within a month, a year as activist, a year of probation, two introducers who were full members
  when the person became a development target); in the demo township a few deliberately overdue
  steps (applicants never talked with, probationary members past their year);
- the two committees for the term that began on 2022-01-01, with 一肩挑 in about half the
  villages (the share varies by township), never two incompatible posts for one person;
- reserve talent on both tracks with mentors: a reserve secretary in most villages but not all
  (three villages of the demo township have none), 致富带头人 around the goal of three;
- the current year's training: villages' orders (点单) and the department's assignments
  (配菜), city and township sessions in every delivery mode, attendance for most cadres, one
  recent session in the demo township with no attendance recorded yet, one session to come.

Rows are written with ``bulk_create`` in one transaction (a failure leaves nothing, and a second
run finds the organisations and adds nothing), with one audit "create" row per object, in bulk,
as the economy demo writes them. Each village's draw depends only on the seed and the village
code, so the same registry gives the same party data on the same day. About 2 s for the demo city
at the default scale on the 2-core development machine.

The package, split by domain (DESIGN: a file is split before it passes ~600 lines):
``base`` (constants, the drafts, the rules and ``_State``, the builder's attributes and the
residents), ``organizations`` (joint committees, village organisations, units, 1+N groups),
``members`` (the pipeline), ``cadres`` (the two committees and reserve talent), ``training``,
and ``builder`` (``_Builder``, combining them, and ``demo_party_load``).
"""

from zhenxing.party.demo.builder import demo_party_load

__all__ = ["demo_party_load"]
