-- Response IDs of the current delivery of each survey version in each wave (the ones staging
-- reads), counted in DuckDB so the batch is one row per version and wave at any size: every row has an ID, IDs are
-- positive integers, and no ID appears twice within the delivery (every delivery is kept in
-- raw, so IDs repeat across deliveries).
with

current_deliveries as (
    select survey_version, wave, sha256, file_name
    from raw.deliveries
    qualify row_number() over (
        partition by survey_version, wave
        order by exported_at desc, loaded_at desc, sha256 desc
    ) = 1
),

response_ids as (
    select _delivery_sha256, "Response ID" as response_id from raw.police_responses
    union all
    select _delivery_sha256, "Response ID" as response_id from raw.national_responses
),

counted as (
    select
        current_deliveries.survey_version,
        current_deliveries.wave,
        any_value(current_deliveries.file_name) as file_name,
        count(response_ids.response_id) as responses,
        count(distinct response_ids.response_id) as distinct_response_ids,
        count(*) filter (where response_ids.response_id is null) as missing_response_ids,
        count(*) filter (
            where not regexp_full_match(response_ids.response_id, '\s*[1-9][0-9]*\s*')
        ) as malformed_response_ids
    from current_deliveries
    inner join response_ids
        on current_deliveries.sha256 = response_ids._delivery_sha256
    group by current_deliveries.survey_version, current_deliveries.wave
)

select * from counted
order by survey_version, wave
