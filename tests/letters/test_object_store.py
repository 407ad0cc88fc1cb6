"""Letters in an S3-compatible object store, for several web and worker
hosts: rendered into the bucket, downloaded through the view from the
bucket (never a file path). The store is moto's S3 server, started on
127.0.0.1 by the test: nothing leaves the machine."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from mikrolaan.letters.models import LetterStatus
from mikrolaan.letters.registry import get_kind
from mikrolaan.letters.services import request_letter
from mikrolaan.letters.storage import get_letter_storage, letters_root
from tests.letters.helpers import make_case, pdf_text

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "mikrolaan-letters-test"
CREDENTIALS = {"access_key": "test-key", "secret_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_letters(s3_endpoint, settings):
    """The letters alias pointed at a fresh bucket; yields a boto3 client."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-north-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "letters": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **settings.S3_OPTIONS,
                **CREDENTIALS,
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-north-1",
                "location": "letters",
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
    }
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.mark.django_db
def test_a_letter_is_rendered_into_the_bucket_and_downloaded_from_it(
    s3_letters, client, team_member, django_capture_on_commit_callbacks
):
    from storages.backends.s3 import S3Storage

    assert isinstance(get_letter_storage(), S3Storage)
    with django_capture_on_commit_callbacks(execute=True):
        letter = request_letter(
            kind="decision", case=make_case(), context=get_kind("decision").sample_context
        )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED, letter.last_error

    keys = [o["Key"] for o in s3_letters.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"letters/{letter.pdf.name}"]
    stored = s3_letters.get_object(Bucket=BUCKET, Key=keys[0])
    assert stored["ServerSideEncryption"] == "AES256"
    body = stored["Body"].read()
    assert hashlib.sha256(body).hexdigest() == letter.sha256
    assert not letters_root().exists() or not list(letters_root().rglob("*.pdf"))

    client.force_login(team_member)
    response = client.get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == body
    assert "Klagevejledning" in pdf_text(body)


@pytest.mark.django_db
def test_a_letter_object_is_never_overwritten(s3_letters):
    storage = get_letter_storage()
    from django.core.files.base import ContentFile

    first = storage.save("2026/11/letter-1-v1-abc.pdf", ContentFile(b"%PDF-first"))
    second = storage.save("2026/11/letter-1-v1-abc.pdf", ContentFile(b"%PDF-second"))
    assert first != second
    assert storage.open(first).read() == b"%PDF-first"


def _letters_storage_with(env: dict) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['letters'], default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("S3_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "mikrolaan.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_environment_variables_configure_the_object_store():
    assert _letters_storage_with({}) == {"BACKEND": "mikrolaan.letters.storage.LetterStorage"}
    configured = _letters_storage_with(
        {
            "S3_BUCKET": "breve",
            "S3_ENDPOINT_URL": "https://s3.kommune.example",
            "S3_REGION": "eu-north-1",
            "S3_ACCESS_KEY_ID": "nøgle",
            "S3_SECRET_ACCESS_KEY": "hemmelig",
            "S3_ADDRESSING_STYLE": "path",
            "S3_LETTERS_PREFIX": "mikrolaan/breve",
            "S3_SERVER_SIDE_ENCRYPTION": "aws:kms",
        }
    )
    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    options = configured["OPTIONS"]
    assert options["bucket_name"] == "breve"
    assert options["endpoint_url"] == "https://s3.kommune.example"
    assert options["region_name"] == "eu-north-1"
    assert (options["access_key"], options["secret_key"]) == ("nøgle", "hemmelig")
    assert options["addressing_style"] == "path"
    assert options["location"] == "mikrolaan/breve"
    assert options["object_parameters"] == {"ServerSideEncryption": "aws:kms"}
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None
