-- Analysts' codes from the coding workbooks they returned (raw.analyst_codes, loaded by the
-- ingest after checking every row): one row per answer x category, of the LATEST workbook that
-- coded the answer (by when it was received, then sha256): a later workbook's codes for an
-- answer replace an earlier one's. Each code keeps the answer text the analyst saw, so
-- int_coded_answers applies it only while the answer still reads the same.
with

analyst_codes as (
    select * from {{ source('raw', 'analyst_codes') }}
),

renamed_codes as (
    select
        wave,
        survey,
        cast(response_id as bigint) as response_id,
        question_key,
        {{ strip_whitespace('answer_text') }} as answer_text,
        {{ strip_whitespace('category') }} as category,
        {{ strip_whitespace('coder') }} as coder,
        workbook_name,
        workbook_sha256,
        sheet_name,
        sheet_row,
        received_at as coded_at
    from analyst_codes
),

latest_workbook_codes as (
    select *
    from renamed_codes
    qualify dense_rank() over (
        partition by wave, survey, response_id, question_key
        order by coded_at desc, workbook_sha256 desc
    ) = 1
)

select distinct * exclude (sheet_row)
from latest_workbook_codes
