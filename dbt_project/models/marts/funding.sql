-- How the good-practice projects were funded, per wave (one funding source per answer). An answer that
-- only says NA / None / - counts as `not stated`, like an answer the codebook codes so. Every row
-- carries the wave's answers awaiting coding (marts.coding_queue): projects + those = answers.
with

coded_answers as (
    select * from {{ ref('int_coded_answers') }}
    where question_key = 'funding'
),

waves as (
    select distinct wave from {{ ref('int_wave_surveys') }}
),

funding_sources as (
    select * from (
        values
            ('jointly funded', 1),
            ('health', 2),
            ('Home Office', 3),
            ('OPCC', 4),
            ('police', 5),
            ('cost-neutral / no additional funding', 6),
            ('not stated', 7)
    ) as funding_sources (funding_source, source_order)
),

projects_per_source as (
    select
        wave,
        case when coding_method = 'not stated' then 'not stated' else category end as funding_source,
        count(*) as projects
    from coded_answers
    where category is not null or coding_method = 'not stated'
    group by 1, 2
),

awaiting_per_wave as (
    select wave, count(*) as awaiting_coding
    from coded_answers
    where coding_method = 'queued'
    group by wave
),

funding as (
    select
        waves.wave,
        funding_sources.funding_source,
        coalesce(projects_per_source.projects, 0) as projects,
        coalesce(awaiting_per_wave.awaiting_coding, 0) as awaiting_coding
    from waves
    cross join funding_sources
    left join projects_per_source
        on waves.wave = projects_per_source.wave
        and funding_sources.funding_source = projects_per_source.funding_source
    left join awaiting_per_wave
        on waves.wave = awaiting_per_wave.wave
)

select * from funding
