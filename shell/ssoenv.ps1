# ssoenv shell integration for PowerShell. Load it with:
#   Invoke-Expression (& ssoenv init powershell | Out-String)
# Loading it twice is harmless: the prompt is wrapped once.
#
# Public names (for people who build their own prompt, e.g. oh-my-posh):
#   ssoenv_segment                 compute the segment now into the variables below
#   $global:SSOENV_SEGMENT         plain text, e.g. "prod 42m" (empty when no profile is active)
#   $global:SSOENV_SEGMENT_STATE   ok | warn | critical | expired | unknown (empty when inactive)
#   $global:SSOENV_SEGMENT_COLOR   green | yellow | red (empty when unknown or inactive)
#   $env:SSOENV_PROMPT = 'off'     do not put "(prod 42m) " in front of the prompt

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
# (No SSOENV_SHELL: a child shell of another kind would inherit it. The function
# passes --shell powershell.) Everything `init` prints is ASCII: PowerShell reads
# it through the console code page.
$global:__ssoenv_bin = '@SSOENV_BIN@'
if ($null -eq $global:SSOENV_SEGMENT) { $global:SSOENV_SEGMENT = '' }
if ($null -eq $global:__ssoenv_renew_at) { $global:__ssoenv_renew_at = [long]0 }

# The binary to run: the one that printed this script or, once that file is gone
# (the package removed, the binary moved, installed another way), the ssoenv on
# PATH, so that open sessions keep working; $null when there is none. (Only a
# rooted path is run as it is: `ssoenv` alone is looked up on PATH.)
function global:__ssoenv_find {
    $bin = $global:__ssoenv_bin
    if ([System.IO.Path]::IsPathRooted($bin) -and (Test-Path -LiteralPath $bin -PathType Leaf)) { return $bin }
    $found = Get-Command -Name ssoenv -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -ne $found) { return $found.Source }
    return $null
}

# The binary with SSOENV_INIT=powershell for it alone (how `ssoenv doctor`
# sees the integration); the variable is restored, never left exported.
function global:__ssoenv_invoke {
    $exe = __ssoenv_find
    if ($null -eq $exe) {
        [Console]::Error.WriteLine("ssoenv: $($global:__ssoenv_bin) is gone and there is no ssoenv on PATH")
        [Console]::Error.WriteLine('hint: install ssoenv again; this session then finds it on PATH')
        $global:LASTEXITCODE = 127
        return
    }
    $old = $env:SSOENV_INIT
    $env:SSOENV_INIT = 'powershell'
    try { & $exe @args } finally { $env:SSOENV_INIT = $old }
}

# `ssoenv use ...` and `ssoenv unset` change this session; everything else runs as is.
function global:ssoenv {
    $first = if ($args.Count -gt 0) { [string]$args[0] } else { '' }
    if ($first -ne 'use' -and $first -ne 'unset') {
        __ssoenv_invoke @args
        return
    }
    $shellArgs = @('--shell', 'powershell')
    $next = $false
    foreach ($a in $args) {
        $s = [string]$a
        if ($s -eq '--') { break }
        if ($s -in @('-h', '--help', '-V', '--version')) {
            __ssoenv_invoke @args
            return
        }
        if ($s -eq '--shell' -or $s.StartsWith('--shell=')) { $shellArgs = @() }
        if ($s.StartsWith('--shell=')) { $value = $s.Substring(8) } elseif ($next) { $value = $s } else { $value = $null }
        $next = $s -eq '--shell'
        if ($null -ne $value -and $value -notin @('powershell', 'pwsh')) {
            [Console]::Error.WriteLine("ssoenv: refusing --shell ${value}: this function evaluates the output in PowerShell")
            $global:LASTEXITCODE = 2
            return
        }
    }
    # --shell right after the subcommand, so that it stays before a `--`.
    $rest = @($args | Select-Object -Skip 1)
    $out = __ssoenv_invoke $args[0] @shellArgs @rest | Out-String
    if ($LASTEXITCODE -ne 0) { return }
    if ($out.Trim().Length -gt 0) { Invoke-Expression $out }
    $global:__ssoenv_renew_at = [long]0
    ssoenv_segment
}

# Outside text shown on a terminal (the profile name): C0, DEL and C1 control
# characters written as escapes, \e \n \t \r \xNN \u{NN}, as `ssoenv prompt` shows them.
function global:__ssoenv_printable([string]$s) {
    [regex]::Replace($s, '[\u0000-\u001F\u007F-\u009F]', {
        param($m)
        $c = [int][char]$m.Value
        switch ($c) {
            9 { '\t' }
            10 { '\n' }
            13 { '\r' }
            27 { '\e' }
            # (Not '\u{{{0:x}}}': .NET may read the }} as part of the format.)
            default { if ($c -lt 128) { '\x{0:x2}' -f $c } else { '\u{' + ('{0:x}' -f $c) + '}' } }
        }
    })
}

# Compute the segment (and renew the credentials when asked to and due).
function global:ssoenv_segment {
    if (-not $env:SSOENV_PROFILE) {
        $global:SSOENV_SEGMENT = ''
        $global:SSOENV_SEGMENT_STATE = ''
        $global:SSOENV_SEGMENT_COLOR = ''
        $global:SSOENV_SEGMENT_RENEW = ''
        $global:__ssoenv_mk_key = $null
        return
    }
    # The renewal mark (the hook renews these credentials unattended), with the
    # locale of the moment the session (or either variable) changed.
    $mkKey = "${env:SSOENV_PROFILE}|${env:SSOENV_EXPIRATION}|${env:SSOENV_RENEWABLE}|${env:SSOENV_AUTO_RENEW}"
    if ($mkKey -ne $global:__ssoenv_mk_key) {
        $global:__ssoenv_mk_key = $mkKey
        $global:SSOENV_SEGMENT_RENEW = ''
        if ($env:SSOENV_RENEWABLE -eq '1' -and $env:SSOENV_AUTO_RENEW -eq '1') {
            $loc = if ($env:LC_ALL) { $env:LC_ALL } elseif ($env:LC_CTYPE) { $env:LC_CTYPE } else { [string]$env:LANG }
            $global:SSOENV_SEGMENT_RENEW = if ($loc -match 'utf-?8') { [string][char]0x21BB } else { '+' }
        }
    }
    $name = __ssoenv_printable $env:SSOENV_PROFILE
    # Decimal seconds, at most 15 digits (as `ssoenv prompt` takes them); else unknown.
    if ($env:SSOENV_EXPIRATION -notmatch '^[0-9]{1,15}\z') {
        $global:SSOENV_SEGMENT = $name
        $global:SSOENV_SEGMENT_STATE = 'unknown'
        $global:SSOENV_SEGMENT_COLOR = ''
        return
    }
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $left = [long]$env:SSOENV_EXPIRATION - $now
    if ($env:SSOENV_AUTO_RENEW -eq '1' -and $left -lt 600 -and ($now - $global:__ssoenv_renew_at) -ge 60) {
        $global:__ssoenv_renew_at = $now
        if (__ssoenv_renew) { return }
    }
    if ($left -le 0) {
        $text = 'expired'
        $global:SSOENV_SEGMENT_STATE = 'expired'
        $global:SSOENV_SEGMENT_COLOR = 'red'
    } else {
        if ($left -ge 3600) {
            $text = '{0}h{1:D2}m' -f [long][math]::Floor($left / 3600), [long][math]::Floor(($left % 3600) / 60)
        } elseif ($left -ge 60) {
            $text = '{0}m' -f [long][math]::Floor($left / 60)
        } else {
            $text = '{0}s' -f $left
        }
        if ($left -lt 300) {
            $global:SSOENV_SEGMENT_STATE = 'critical'
            $global:SSOENV_SEGMENT_COLOR = 'red'
        } elseif ($left -lt 900) {
            $global:SSOENV_SEGMENT_STATE = 'warn'
            $global:SSOENV_SEGMENT_COLOR = 'yellow'
        } else {
            $global:SSOENV_SEGMENT_STATE = 'ok'
            $global:SSOENV_SEGMENT_COLOR = 'green'
        }
    }
    $global:SSOENV_SEGMENT = "$name $text"
}

# Quiet renewal: role credentials from a valid or refreshable token, never a login.
function global:__ssoenv_renew {
    $old = $env:SSOENV_INTERACTIVE
    $oldBackground = $env:SSOENV_BACKGROUND_RENEW
    $env:SSOENV_INTERACTIVE = '0'
    # Never wait for another shell's lock, and give up within 3 s: the prompt must not freeze.
    $env:SSOENV_BACKGROUND_RENEW = '1'
    $exe = __ssoenv_find
    try {
        if ($null -eq $exe) { return $false }
        $out = & $exe use $env:SSOENV_PROFILE --shell powershell 2>$null | Out-String
        $ok = $LASTEXITCODE -eq 0
    } finally {
        $env:SSOENV_INTERACTIVE = $old
        $env:SSOENV_BACKGROUND_RENEW = $oldBackground
    }
    if (-not $ok) { return $false }
    Invoke-Expression $out
    ssoenv_segment
    return $true
}

# Wrap the prompt function once; $LASTEXITCODE is kept for the original prompt.
if (-not (Test-Path variable:global:__ssoenv_orig_prompt)) {
    $global:__ssoenv_orig_prompt = $function:prompt
    function global:prompt {
        $code = $global:LASTEXITCODE
        $prefix = ''
        # Inactive and nothing shown: this one test is the whole cost.
        if ($env:SSOENV_PROFILE -or $global:SSOENV_SEGMENT) {
            ssoenv_segment
            if ($global:SSOENV_SEGMENT -and $env:SSOENV_PROMPT -ne 'off') {
                $sgr = switch ($global:SSOENV_SEGMENT_COLOR) {
                    'green' { '32' }
                    'yellow' { '33' }
                    'red' { '31' }
                    default { '' }
                }
                $mk = if ($global:SSOENV_SEGMENT_RENEW) { ' ' + $global:SSOENV_SEGMENT_RENEW } else { '' }
                if ($sgr -and -not $env:NO_COLOR) {
                    $esc = [char]27
                    $prefix = "$esc[$($sgr)m($($global:SSOENV_SEGMENT)$mk)$esc[0m "
                } else {
                    $prefix = "($($global:SSOENV_SEGMENT)$mk) "
                }
            }
        }
        $global:LASTEXITCODE = $code
        $orig = if ($global:__ssoenv_orig_prompt) { & $global:__ssoenv_orig_prompt } else { 'PS> ' }
        $global:LASTEXITCODE = $code
        return $prefix + ($orig -join '')
    }
}
