# PowerShell completion additions, put into clap's completer before its result
# list by `ssoenv completions powershell` and `ssoenv init powershell`
# (src/cmd/completions.rs). @PROFILE_COMMANDS@ is replaced with the quoted
# 'ssoenv;COMMAND' words of the commands that take a PROFILE.

    # ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`), matched
    # literally (-like would take a name's [ ] * ? as wildcards) and inserted quoted.
    $profiles = @()
    if (($command -in @(@PROFILE_COMMANDS@)) -and -not $wordToComplete.StartsWith('-')) {
        $prefix = $wordToComplete
        if ($prefix -match '^[''\u2018-\u201B]') {
            $prefix = $prefix.Substring(1) -replace '([''\u2018-\u201B])[''\u2018-\u201B]', '$1'
        }
        # The names are UTF-8: read them so, not through the console code page.
        $encoding = [Console]::OutputEncoding
        try { [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false) } catch { }
        try {
            $names = @(& ssoenv profiles --names 2>$null)
        } finally {
            try { [Console]::OutputEncoding = $encoding } catch { }
        }
        $profiles = @($names | Where-Object { $_ -and $_.StartsWith($prefix, [System.StringComparison]::Ordinal) } | ForEach-Object {
            $text = if ($_ -cmatch '^[A-Za-z0-9_][A-Za-z0-9_.:/+=-]*\z') { $_ } else { "'" + ($_ -replace '[''\u2018-\u201B]', '$0$0') + "'" }
            $shown = $_ -replace '[\u0000-\u001F\u007F-\u009F]', '?'
            [System.Management.Automation.CompletionResult]::new($text, $shown, [System.Management.Automation.CompletionResultType]::ParameterValue, $shown)
        })
    }

