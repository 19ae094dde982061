-- Lead agency and funding take one category: at most one manual code per answer.
select survey, response_id, question_key, count(*) as categories
from {{ ref('manual_codes') }}
where question_key in ('lead_agency', 'funding')
group by survey, response_id, question_key
having count(*) > 1
