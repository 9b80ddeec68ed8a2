#!/usr/bin/env python3
"""Turns deploy/docker-compose.yml into a plan for plain local processes (run-compose-locally.sh).

The compose file stays the one source of the topology: each service keeps its environment
(the image's ENV below the service's, as Docker merges them) and its command; only what a
container has and a process has not is translated:
  - a service name in a value ("node-1:4053", "http://azurite:10000") becomes 127.0.0.1 and
    the container port the local port that stands for it;
  - a published port ("8082:8081") keeps its host port locally; an unpublished one (the peer
    port 4053 of every node) gets container port + the service's position among those using it;
  - a named volume's mount path becomes <data>/<volume>;
  - /app/ (the image's install directory) becomes the node's build output.
Every local port is shifted by --port-offset, so tests can run the topology beside anything.

Prints bash: arrays names, kinds (azurite|node), commands (each a quoted command line),
ready_urls (what answers once the service is up) and urls (what to show a person).
"""

import argparse
import json
import os
import re
import shlex
import sys

try:
    import yaml
except ImportError:
    sys.exit("compose_local.py: Python's yaml module is missing (Debian: apt-get install python3-yaml; pip: pip install pyyaml).")

NODE_PORT_KEY = "ACTORCHAIN__NODE__PORT"
HTTP_PORT_KEY = "ACTORCHAIN__NODE__HTTPPORT"
HOSTNAME_KEY = "ACTORCHAIN__NODE__HOSTNAME"
AZURITE_PORT_FLAGS = {10000: "--blobPort", 10001: "--queuePort", 10002: "--tablePort"}


def fail(message):
    sys.exit(f"compose_local.py: {message}")


def interpolate(text, environment):
    """Compose's variable syntax: $$, ${VAR}, $VAR, ${VAR:-default}, ${VAR-default}, ${VAR:?error}."""
    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("plain")
        op, arg = match.group("op"), match.group("arg") or ""
        value = environment.get(name)
        if op == ":-":
            return value if value else arg
        if op == "-":
            return value if value is not None else arg
        if op in (":?", "?"):
            missing = not value if op == ":?" else value is None
            if missing:
                fail(f"variable {name} is required: {arg}")
            return value
        return value or ""

    pattern = r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:-|-|:\?|\?)(?P<arg>[^}]*))?\}|\$(?P<plain>[A-Za-z_][A-Za-z0-9_]*)"
    return re.sub(pattern, replace, text)


def dotenv(path):
    values = {}
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as file:
            for line in file:
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    key, value = line.split("=", 1)
                    values[key.strip()] = value.strip().strip("'\"")
    return values


def dockerfile_runtime(path):
    """ENV, ENTRYPOINT and CMD of the Dockerfile's last stage (exec form only, as ours uses)."""
    env, entrypoint, cmd = {}, None, []
    with open(path, encoding="utf-8") as file:
        text = re.sub(r"\\\n", " ", file.read())
    for line in text.splitlines():
        words = line.strip().split(None, 1)
        if not words or words[0].startswith("#"):
            continue
        instruction, rest = words[0].upper(), (words[1] if len(words) > 1 else "")
        if instruction == "FROM":
            env, entrypoint, cmd = {}, None, []
        elif instruction == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                env[key] = value
        elif instruction == "ENTRYPOINT":
            entrypoint = json.loads(rest)
        elif instruction == "CMD":
            cmd = json.loads(rest)
    if entrypoint is None:
        fail(f"{path} has no ENTRYPOINT in its last stage")
    return env, entrypoint, cmd


def as_list(command):
    return shlex.split(command) if isinstance(command, str) else list(command or [])


def as_env(environment):
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {key: "" if value is None else str(value) for key, value in (environment or {}).items()}


def published(service):
    """container port -> host port, for the service's published TCP ports."""
    ports = {}
    for entry in service.get("ports") or []:
        parts = str(entry).split("/")[0].split(":")
        if len(parts) < 2:
            fail(f"port '{entry}' publishes no host port; give it host:container")
        ports[int(parts[-1])] = int(parts[-2])
    return ports


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compose", required=True)
    parser.add_argument("--dockerfile", required=True)
    parser.add_argument("--node-dir", required=True, help="the node's build output (stands for /app)")
    parser.add_argument("--azurite", required=True, help="the azurite executable")
    parser.add_argument("--data", required=True, help="directory for the services' volumes")
    parser.add_argument("--port-offset", type=int, default=0)
    args = parser.parse_args()

    with open(args.compose, encoding="utf-8") as file:
        compose = yaml.safe_load(file)
    variables = {**dotenv(os.path.join(os.path.dirname(os.path.abspath(args.compose)), ".env")), **os.environ}
    image_env, entrypoint, image_cmd = dockerfile_runtime(args.dockerfile)
    services = compose.get("services") or {}
    node_dir = os.path.abspath(args.node_dir).rstrip("/") + "/"
    data = os.path.abspath(args.data)

    kinds, envs = {}, {}
    for name, service in services.items():
        image = str(service.get("image", ""))
        if "azure-storage/azurite" in image:
            kinds[name] = "azurite"
        elif "build" in service:
            kinds[name] = "node"
            envs[name] = {key: interpolate(value, variables)
                          for key, value in {**image_env, **as_env(service.get("environment"))}.items()}
        else:
            fail(f"service '{name}' is neither Azurite nor built from the Dockerfile; this script runs only those")

    # (service, container port) -> local port
    local = {}
    for name, service in services.items():
        for container_port, host_port in published(service).items():
            local[(name, container_port)] = host_port + args.port_offset
    unpublished_users = {}
    for name in (n for n in services if kinds[n] == "node"):
        port = int(envs[name].get(NODE_PORT_KEY, "4053"))
        if (name, port) not in local:
            position = unpublished_users.setdefault(port, 0)
            unpublished_users[port] += 1
            local[(name, port)] = port + position + args.port_offset

    service_ref = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(services, key=len, reverse=True)) + r"):(\d+)\b")

    def localize(value, name, volumes):
        def replace(match):
            key = (match.group(1), int(match.group(2)))
            if key not in local:
                fail(f"'{match.group(0)}' in service '{name}' names a port that service neither publishes nor listens on")
            return f"127.0.0.1:{local[key]}"
        value = service_ref.sub(replace, value)
        for target, directory in volumes.items():
            if value == target or value.startswith(target + "/"):
                value = directory + value[len(target):]
        if value.startswith("/app/"):
            value = node_dir + value[len("/app/"):]
        return value

    names, kind_list, commands, ready_urls, urls = [], [], [], [], []
    for name, service in services.items():
        volumes = {}
        for entry in service.get("volumes") or []:
            source, target = str(entry).split(":")[:2]
            volumes[target] = os.path.join(data, source)
            os.makedirs(volumes[target], exist_ok=True)

        if kinds[name] == "azurite":
            command = as_list(service.get("command")) or ["azurite", "--location", "/data"]
            command = ["127.0.0.1" if word == "0.0.0.0" else localize(word, name, volumes) for word in command[1:]]
            for container_port, flag in AZURITE_PORT_FLAGS.items():
                if (name, container_port) in local:
                    command += [flag, str(local[(name, container_port)])]
            commands.append(shlex.join([args.azurite, *command]))
            blob = local.get((name, 10000))
            ready_urls.append(f"http://127.0.0.1:{blob}/" if blob else "")
            urls.append(f"blob http://127.0.0.1:{blob}/devstoreaccount1" if blob else "")
        else:
            env = {key: localize(value, name, volumes) for key, value in envs[name].items()}
            container_port = int(env.get(NODE_PORT_KEY, "4053"))
            container_http = int(envs[name].get(HTTP_PORT_KEY, "8081"))
            if (name, container_http) not in local:
                fail(f"service '{name}' does not publish its HTTP port {container_http}")
            env[HOSTNAME_KEY] = "127.0.0.1"
            env[NODE_PORT_KEY] = str(local[(name, container_port)])
            env[HTTP_PORT_KEY] = str(local[(name, container_http)])
            command = [localize(word, name, volumes) for word in [*entrypoint, *(as_list(service.get("command")) or image_cmd)]]
            assignments = [f"{key}={value}" for key, value in env.items()]
            commands.append(shlex.join(["env", *assignments, *command]))
            http = f"http://127.0.0.1:{env[HTTP_PORT_KEY]}"
            ready_urls.append(f"{http}/health/ready")
            urls.append(f"{http}/  (peers on 127.0.0.1:{env[NODE_PORT_KEY]})")
        names.append(name)
        kind_list.append(kinds[name])

    for variable, values in (("names", names), ("kinds", kind_list), ("commands", commands), ("ready_urls", ready_urls), ("urls", urls)):
        print(f"{variable}=({' '.join(shlex.quote(v) for v in values)})")


if __name__ == "__main__":
    main()
