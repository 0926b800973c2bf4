from tests.api import api_client, call


def test_it_refuses_out_of_range_operations(coordinator_a, caseworker_a):
    client = api_client(coordinator_a)
    body = {"codename": "raided", "window_start": "0051-07-04T18:36:20+15:05", "window_end": "0191-01-04T03:10:02-21:20",
            "members": [caseworker_a.user_id], "rendezvous_landmarks": ["3#\ud863\udc60V", "total"]}  # fmt: skip
    response = call(client, "post", "/api/v1/operations", body)
    assert response.status_code in (201, 422), response.content
    huge = call(client, "post", "/api/v1/operations", {**body, "members": [2**100]})
    assert huge.status_code == 422
