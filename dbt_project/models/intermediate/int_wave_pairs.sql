-- The pairs of consecutive survey waves the trend marts compare: each wave with the one that
-- opened before it (wave_order), both with exports loaded. With one wave, no pair.
with

wave_surveys as (
    select * from {{ ref('int_wave_surveys') }}
),

waves as (
    select distinct wave, wave_order
    from wave_surveys
    where has_exports
),

ranked_waves as (
    select wave, row_number() over (order by wave_order) as position
    from waves
),

wave_pairs as (
    select
        earlier.wave as wave_from,
        later.wave as wave_to
    from ranked_waves as earlier
    inner join ranked_waves as later
        on later.position = earlier.position + 1
)

select * from wave_pairs
