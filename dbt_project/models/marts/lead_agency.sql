-- Table 2 per wave: good-practice projects per lead agency category (one category per answer),
-- and on every row the wave's answers that await coding (marts.coding_queue): the projects plus
-- those are every stated answer, so the total never shrinks silently.
with

coded_answers as (
    select * from {{ ref('int_coded_answers') }}
    where question_key = 'lead_agency'
),

waves as (
    select distinct wave from {{ ref('int_wave_surveys') }}
),

categories as (
    select distinct category from {{ ref('codebook_lead_agency') }} where category not like '[%'
    union
    select distinct category from {{ ref('coding_combinations') }} where question_key = 'lead_agency'
    union
    select distinct category from {{ ref('manual_codes') }} where question_key = 'lead_agency'
),

projects_per_category as (
    select wave, category, count(*) as projects
    from coded_answers
    where category is not null
    group by wave, category
),

awaiting_per_wave as (
    select wave, count(*) as awaiting_coding
    from coded_answers
    where coding_method = 'queued'
    group by wave
),

lead_agency as (
    select
        waves.wave,
        categories.category as lead_agency,
        coalesce(projects_per_category.projects, 0) as projects,
        coalesce(awaiting_per_wave.awaiting_coding, 0) as awaiting_coding
    from waves
    cross join categories
    left join projects_per_category
        on waves.wave = projects_per_category.wave
        and categories.category = projects_per_category.category
    left join awaiting_per_wave
        on waves.wave = awaiting_per_wave.wave
)

select * from lead_agency
