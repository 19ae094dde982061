{{ config(severity='warn') }}
-- A warning, not an error: on other extracts than the reference ones the marts follow the data
-- and may differ from the report. The end-to-end test on the reference extracts requires none.
select figure_id, published, computed, reason
from {{ ref('reconciliation') }}
where status = 'mismatch'
