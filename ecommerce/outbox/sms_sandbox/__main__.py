import argparse

from ecommerce.outbox.sms_sandbox.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m ecommerce.outbox.sms_sandbox", description="Run the SMS gateway sandbox."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002, help="0 picks a free port (printed on start)")
    parser.add_argument("--token", default="local-sms-sandbox-token", help="the bearer token it accepts")
    args = parser.parse_args()
    serve(host=args.host, port=args.port, token=args.token)


if __name__ == "__main__":
    main()
