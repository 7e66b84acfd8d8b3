"""The app starts, the demo loads, a demo user logs in and reads /api/me."""


def test_login_and_me(client, auth):
    response = client.get("/api/me", headers=auth.headers("foreman1"))
    assert response.status_code == 200
    user = response.get_json()["user"]
    assert user["username"] == "foreman1"
    assert user["roles"] == ["foreman"]
    assert user["memberships"][0]["project_code"] == "DEMO"
