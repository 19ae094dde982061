-- For each wave and single-category coded question, every answered cell (Annex 2's
-- response_total of that item, over both surveys) must end up in exactly one place: a category
-- of its mart, "not stated" (NA / None / -), or marts.coding_queue. Nothing silently dropped,
-- nothing counted twice.
-- marts.funding already has a `not stated` row; for lead agency the NA-only answers are counted
-- from intermediate.int_coded_answers, the model both marts are built from.
with

answers as (
    select
        question_responses.wave,
        question_map.question_key,
        sum(question_responses.response_total) as answers
    from marts.question_responses
    inner join seeds.question_map
        on question_responses.questionnaire = question_map.questionnaire
        and question_responses.question = question_map.question_number
        and question_responses.item = question_map.item
    where question_map.question_key in ('lead_agency', 'funding')
    group by question_responses.wave, question_map.question_key
),

in_marts as (
    select wave, 'lead_agency' as question_key, sum(projects) as in_mart
    from marts.lead_agency
    group by wave
    union all
    select wave, 'funding' as question_key, sum(projects) as in_mart
    from marts.funding
    group by wave
),

not_stated_outside_marts as (
    select wave, 'lead_agency' as question_key, count(*) as not_stated
    from intermediate.int_coded_answers
    where question_key = 'lead_agency' and coding_method = 'not stated'
    group by wave
),

queued as (
    select wave, question_key, count(*) as queued
    from marts.coding_queue
    group by wave, question_key
)

select
    answers.wave,
    answers.question_key,
    answers.answers,
    coalesce(in_marts.in_mart, 0) as in_mart,
    coalesce(not_stated_outside_marts.not_stated, 0) as not_stated_outside_mart,
    coalesce(queued.queued, 0) as queued,
    coalesce(in_marts.in_mart, 0)
        + coalesce(not_stated_outside_marts.not_stated, 0)
        + coalesce(queued.queued, 0) as accounted
from answers
left join in_marts
    on answers.wave = in_marts.wave
    and answers.question_key = in_marts.question_key
left join not_stated_outside_marts
    on answers.wave = not_stated_outside_marts.wave
    and answers.question_key = not_stated_outside_marts.question_key
left join queued
    on answers.wave = queued.wave
    and answers.question_key = queued.question_key
order by answers.wave, answers.question_key
