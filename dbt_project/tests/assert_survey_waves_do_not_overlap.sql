-- survey_waves is hand-kept: the windows of one survey version never overlap (an export must fit
-- one wave only), a wave's window opens before it closes, and one wave only is the report's.
with

survey_waves as (
    select * from {{ ref('survey_waves') }}
)

select earlier.survey_version, earlier.wave, later.wave as overlapping_wave
from survey_waves as earlier
inner join survey_waves as later
    on earlier.survey_version = later.survey_version
    and earlier.wave < later.wave
    and earlier.opens_on <= later.closes_on
    and later.opens_on <= earlier.closes_on
union all
select survey_version, wave, 'closes before it opens'
from survey_waves
where closes_on < opens_on
union all
select 'all versions', string_agg(distinct wave, ', '), 'more than one report wave'
from survey_waves
where is_report_wave
having count(distinct wave) > 1
